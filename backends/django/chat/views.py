from django.shortcuts import get_object_or_404
from rest_framework import generics, permissions, status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Role

from .models import Conversation
from .serializers import ConversationSerializer, MessageSerializer


class IsTeacher(permissions.BasePermission):
    message = "Only teachers and trainers can access this."

    def has_permission(self, request, view):
        profile = getattr(request.user, "profile", None)
        return bool(profile and profile.role in (Role.TEACHER, Role.TRAINER))


class IsStudent(permissions.BasePermission):
    message = "Only students can access this."

    def has_permission(self, request, view):
        profile = getattr(request.user, "profile", None)
        return bool(profile and profile.role == Role.STUDENT)


class TeacherConversationList(generics.ListAPIView):
    """Newest activity first. There is no teacher-wide socket: this list is the only way to see new ones."""

    serializer_class = ConversationSerializer
    permission_classes = [permissions.IsAuthenticated, IsTeacher]

    def get_queryset(self):
        return (
            Conversation.objects.filter(teacher=self.request.user.profile)
            .select_related("student__user", "teacher__user")
            .order_by("-updated_at", "-id")
        )


class MessageListCreate(generics.ListCreateAPIView):
    """Oldest first; reading the history marks the other side's messages read (a side effect the
    deployed site has). A POST stores the message and broadcasts nothing: the other side only sees
    it live if it was sent over the socket."""

    serializer_class = MessageSerializer

    def get_conversation(self):
        raise NotImplementedError

    def get_queryset(self):
        conversation = self.get_conversation()
        return conversation.messages.select_related("sender__profile__user").order_by("timestamp", "id")

    def list(self, request, *args, **kwargs):
        self.get_conversation().mark_read_for(request.user)
        return super().list(request, *args, **kwargs)

    def perform_create(self, serializer):
        serializer.save(conversation=self.get_conversation(), sender=self.request.user)


class TeacherConversationMessages(MessageListCreate):
    permission_classes = [permissions.IsAuthenticated, IsTeacher]

    def get_conversation(self):
        return get_object_or_404(Conversation, pk=self.kwargs["pk"], teacher=self.request.user.profile)


def student_conversation(user):
    """The student's conversation with the assigned mentor, created on first use."""
    mentor = user.profile.assigned_mentor
    if mentor is None:
        raise NotFound("No mentor assigned.")
    conversation, _ = Conversation.objects.get_or_create(student=user.profile, teacher=mentor)
    return conversation


class StudentConversation(APIView):
    permission_classes = [permissions.IsAuthenticated, IsStudent]

    def get(self, request):
        conversation = student_conversation(request.user)
        return Response(ConversationSerializer(conversation, context={"request": request}).data)


class StudentConversationMessages(MessageListCreate):
    permission_classes = [permissions.IsAuthenticated, IsStudent]

    def get_conversation(self):
        return student_conversation(self.request.user)


class MarkRead(APIView):
    def post(self, request, pk):
        profile = getattr(request.user, "profile", None)
        conversation = get_object_or_404(Conversation, pk=pk)
        if profile is None or profile.pk not in (conversation.student_id, conversation.teacher_id):
            raise NotFound()
        count = conversation.mark_read_for(request.user)
        return Response({"detail": f"{count} messages marked as read."}, status=status.HTTP_200_OK)

