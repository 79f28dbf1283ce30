from django.conf import settings
from django.db import models
from django.utils import timezone

from accounts.models import UserProfile


class Conversation(models.Model):
    student = models.ForeignKey(UserProfile, on_delete=models.CASCADE, related_name="student_conversations")
    teacher = models.ForeignKey(UserProfile, on_delete=models.CASCADE, related_name="teacher_conversations")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        unique_together = [("student", "teacher")]
        ordering = ["-updated_at"]

    def participant_users(self):
        return [self.student.user_id, self.teacher.user_id]

    def mark_read_for(self, user):
        """Marks the other participant's unread messages read; returns how many changed."""
        return self.messages.filter(is_read=False).exclude(sender=user).update(is_read=True)


class Message(models.Model):
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="messages")
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="chat_messages")
    content = models.TextField()
    timestamp = models.DateTimeField(default=timezone.now, db_index=True)
    is_read = models.BooleanField(default=False)

    class Meta:
        ordering = ["timestamp", "id"]

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        # "Newest activity first" in the teacher's list: every message touches the conversation.
        Conversation.objects.filter(pk=self.conversation_id).update(updated_at=self.timestamp)
