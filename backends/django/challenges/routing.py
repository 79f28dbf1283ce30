from django.urls import path

from .consumers import NotificationConsumer

websocket_urlpatterns = [path("ws/challenges/notifications/", NotificationConsumer.as_asgi())]
