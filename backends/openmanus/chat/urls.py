from django.urls import path

from . import views

urlpatterns = [
    path("conversations", views.conversations),
    path("conversations/<str:conversation_id>", views.conversation_detail),
    path("conversations/<str:conversation_id>/messages", views.conversation_messages),
]
