"""ws/conversations/{id}/?token=<jwt> (or the session cookie): the conversation's notify frames.

A missing, invalid or expired token, an unknown conversation or someone else's conversation
rejects the handshake (HTTP 403, channels' close-before-accept). A token that expires while the
socket is open closes it with AUTH_CLOSE_CODE; the client reconnects with a fresh token.
Client frames are ignored.
"""
import asyncio
import json
import logging
import time
import uuid
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.apps import apps

from .agent.runner import group_name
from .auth import TokenError
from .models import Conversation

AUTH_CLOSE_CODE = 4401
log = logging.getLogger(__name__)


def _user_from_token(token):
    return apps.get_app_config("chat").verifier.user_for(token)


def _owns(user, conversation_id):
    return Conversation.objects.filter(id=conversation_id, owner=user).exists()


class ConversationConsumer(AsyncWebsocketConsumer):
    group = None
    expiry = None

    async def connect(self):
        conversation_id = uuid.UUID(str(self.scope["url_route"]["kwargs"]["conversation_id"]))
        token = (parse_qs(self.scope.get("query_string", b"").decode()).get("token") or [""])[0]
        claims = None
        if token:
            try:
                user, claims = await database_sync_to_async(_user_from_token)(token)
            except TokenError as e:
                log.info("socket rejected: %s", e)
                await self.close()
                return
        else:
            user = self.scope.get("user")
            if user is None or not user.is_authenticated:
                await self.close()
                return
        if not await database_sync_to_async(_owns)(user, conversation_id):
            await self.close()
            return
        self.group = group_name(conversation_id)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        if claims is not None:
            delay = max(0.0, float(claims["exp"]) - time.time())
            self.expiry = asyncio.get_running_loop().call_later(delay, self._expire)

    def _expire(self):
        asyncio.ensure_future(self.close(code=AUTH_CLOSE_CODE))

    async def receive(self, text_data=None, bytes_data=None):
        return None

    async def disconnect(self, code):
        if self.expiry is not None:
            self.expiry.cancel()
        if self.group is not None:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def notify_event(self, event):
        await self.send_json_frame({"type": "notify", "event": event["event"], "payload": event["payload"]})

    async def send_json_frame(self, frame):
        await self.send(text_data=json.dumps(frame, ensure_ascii=False))
