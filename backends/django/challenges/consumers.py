from asgiref.sync import async_to_sync
from channels.generic.websocket import JsonWebsocketConsumer

from .notify import user_group


class NotificationConsumer(JsonWebsocketConsumer):
    """`/ws/challenges/notifications/`: no frame on connect; one handler per event the deployed
    consumer knows. `challenge_declined_notification` is deliberately missing (see notify.py)."""

    group = None

    def connect(self):
        user = self.scope["user"]
        if not user.is_authenticated:
            self.close()
            return
        self.group = user_group(user.pk)
        async_to_sync(self.channel_layer.group_add)(self.group, self.channel_name)
        self.accept()

    def disconnect(self, code):
        if self.group:
            async_to_sync(self.channel_layer.group_discard)(self.group, self.channel_name)

    def receive_json(self, content, **kwargs):
        # The feed takes nothing from the client; JSON is ignored, non-JSON still closes with 1011.
        pass

    def new_challenge_invite(self, event):
        self.send_json({"type": "new_challenge_invite", "payload": event["payload"]})

    def challenge_accepted(self, event):
        self.send_json({"type": "challenge_accepted", "payload": event["payload"]})
