from django.urls import path

from . import views

urlpatterns = [
    path("challenges/", views.ChallengeListCreate.as_view(), name="challenges"),
    path("challenges/<int:pk>/accept/", views.Accept.as_view(), name="challenge-accept"),
    path("challenges/<int:pk>/decline/", views.Decline.as_view(), name="challenge-decline"),
    path("challenges/<int:pk>/cancel/", views.Cancel.as_view(), name="challenge-cancel"),
]
