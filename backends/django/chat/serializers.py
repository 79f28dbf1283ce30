from rest_framework import serializers

from accounts.serializers import ProfileSerializer

from .models import Conversation, Message


class MessageSerializer(serializers.ModelSerializer):
    sender_profile = ProfileSerializer(source="sender.profile", read_only=True)
    is_own_message = serializers.SerializerMethodField()

    class Meta:
        model = Message
        fields = ["id", "sender", "sender_profile", "content", "timestamp", "is_read", "is_own_message"]
        read_only_fields = ["id", "sender", "timestamp", "is_read"]

    def get_is_own_message(self, obj):
        user = self.context.get("user") or getattr(self.context.get("request"), "user", None)
        return bool(user and user.pk == obj.sender_id)

    def validate_content(self, value):
        if not value.strip():
            raise serializers.ValidationError("Message content cannot be empty.")
        return value


class ConversationSerializer(serializers.ModelSerializer):
    student_profile = ProfileSerializer(source="student", read_only=True)
    teacher_profile = ProfileSerializer(source="teacher", read_only=True)
    last_message = serializers.SerializerMethodField()
    unread_message_count_for_user = serializers.SerializerMethodField()

    class Meta:
        model = Conversation
        fields = [
            "id",
            "student_profile",
            "teacher_profile",
            "created_at",
            "updated_at",
            "last_message",
            "unread_message_count_for_user",
        ]

    def get_last_message(self, obj):
        last = obj.messages.order_by("-timestamp", "-id").first()
        return MessageSerializer(last, context=self.context).data if last else None

    def get_unread_message_count_for_user(self, obj):
        user = self.context["request"].user
        return obj.messages.filter(is_read=False).exclude(sender=user).count()
