"""The chat sockets, as deployed (backends.md §2).

`/ws/chat/conversations/<id>/` for a participant (the teacher), `/ws/chat/my-conversation/` for a
student. Only the session cookie authenticates (AuthMiddlewareStack); an anonymous or foreign
user is closed before accept, which daphne answers with HTTP 403. Frames are decoded with
json.loads and nothing catches the error, so a non-JSON frame kills the consumer and daphne
closes the socket with 1011, as on the deployed site.
"""
from asgiref.sync import async_to_sync
from channels.generic.websocket import JsonWebsocketConsumer

from .models import Conversation, Message
from .serializers import MessageSerializer
from .views import student_conversation


class ChatConsumer(JsonWebsocketConsumer):
    conversation = None
    room_group_name = None

    def find_conversation(self, user):
        conversation_id = self.scope["url_route"]["kwargs"].get("conversation_id")
        if conversation_id is None:
            if user.profile.role != "STUDENT" or user.profile.assigned_mentor_id is None:
                return None
            return student_conversation(user)
        conversation = Conversation.objects.filter(pk=conversation_id).select_related("student", "teacher").first()
        if conversation is None or user.pk not in conversation.participant_users():
            return None
        return conversation

    def connect(self):
        user = self.scope["user"]
        if not user.is_authenticated or not hasattr(user, "profile"):
            self.close()
            return
        self.conversation = self.find_conversation(user)
        if self.conversation is None:
            self.close()
            return
        self.room_group_name = f"chat_{self.conversation.pk}"
        async_to_sync(self.channel_layer.group_add)(self.room_group_name, self.channel_name)
        self.accept()
        self.conversation.mark_read_for(user)
        self.send_json(
            {
                "type": "connection_established",
                "conversation_id": str(self.conversation.pk),
                "room_group_name": self.room_group_name,
            }
        )

    def disconnect(self, code):
        if self.room_group_name:
            async_to_sync(self.channel_layer.group_discard)(self.room_group_name, self.channel_name)

    def receive_json(self, content, **kwargs):
        if self.conversation is None:
            self.send_json({"error": "Conversation not established."})
            return
        text = content.get("message", "") if isinstance(content, dict) else ""
        if not isinstance(text, str) or not text.strip():
            self.send_json({"error": "Message content cannot be empty."})
            return
        message = Message.objects.create(conversation=self.conversation, sender=self.scope["user"], content=text)
        async_to_sync(self.channel_layer.group_send)(
            self.room_group_name, {"type": "chat_message", "message_id": message.pk}
        )

    def chat_message(self, event):
        message = Message.objects.select_related("sender__profile__user").get(pk=event["message_id"])
        data = MessageSerializer(message, context={"user": self.scope["user"]}).data
        self.send_json({"type": "new_message", "message": data})
