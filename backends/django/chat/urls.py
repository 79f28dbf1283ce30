from django.urls import path

from . import views

urlpatterns = [
    path("teacher/conversations/", views.TeacherConversationList.as_view(), name="teacher-conversations"),
    path("teacher/conversations/<int:pk>/messages/", views.TeacherConversationMessages.as_view(), name="teacher-messages"),
    path("my-conversation/", views.StudentConversation.as_view(), name="my-conversation"),
    path("my-conversation/messages/", views.StudentConversationMessages.as_view(), name="my-messages"),
    path("conversations/<int:pk>/mark-read/", views.MarkRead.as_view(), name="mark-read"),
]
