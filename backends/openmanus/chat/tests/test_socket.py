"""ws/conversations/{id}/: handshake auth, notify frames from a real (fast) agent run, ignored
client frames and the auth close when the token expires."""
import json

from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.contrib.auth import get_user_model
from django.test import Client, TransactionTestCase

from chat.agent.runner import AsyncioRunner
from chat.consumers import AUTH_CLOSE_CODE
from chat.models import Conversation, Message
from openmanus_server.asgi import application

from .helpers import ClerkStandIn


def make_conversation(sub, text):
    user, _ = get_user_model().objects.get_or_create(username=sub)
    c = Conversation.objects.create(owner=user, title=text, llm_model="gpt-4o")
    m = Message.objects.create(conversation=c, role="user", content=text)
    return c.id, m.id


def session_cookie(sub):
    user, _ = get_user_model().objects.get_or_create(username=sub)
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


class SocketTests(TransactionTestCase):
    def setUp(self):
        self.clerk = ClerkStandIn()
        self.addCleanup(self.clerk.close)

    async def open(self, conversation_id, token=None, cookie=None):
        query = f"?token={token}" if token else ""
        headers = [(b"cookie", f"sessionid={cookie}".encode())] if cookie else []
        ws = WebsocketCommunicator(application, f"/ws/conversations/{conversation_id}/{query}", headers=headers)
        connected, _ = await ws.connect(timeout=5)
        return ws, connected

    async def frames_until(self, ws, event, limit=200):
        frames = []
        while len(frames) < limit:
            frame = json.loads(await ws.receive_from(timeout=5))
            frames.append(frame)
            if frame["event"] == event:
                return frames
        raise AssertionError(f"no {event} in {len(frames)} frames")

    async def test_frames_of_a_run_arrive_in_order_and_match_the_database(self):
        cid, mid = await database_sync_to_async(make_conversation)("user_ws", "find it #ok #steps=2")
        ws, connected = await self.open(cid, token=self.clerk.token(sub="user_ws"))
        self.assertTrue(connected)
        await ws.send_to(text_data="not json at all")  # client frames are ignored
        await ws.send_to(text_data=json.dumps({"type": "ping"}))
        await AsyncioRunner(seed="t", tick_ms=0, max_steps=20).start(mid)
        frames = await self.frames_until(ws, "agent.finished")
        self.assertTrue(all(set(f) == {"type", "event", "payload"} and f["type"] == "notify" for f in frames))
        names = [f["event"] for f in frames]
        self.assertEqual([f["payload"]["step"] for f in frames if f["event"] == "agent.step"], [1, 2, 3])
        self.assertEqual(names.count("agent.tool_result"), 2)
        created = [f["payload"]["message"] for f in frames if f["event"] == "message.created"]
        stored = await database_sync_to_async(lambda: [str(m.id) for m in Message.objects.filter(conversation_id=cid).exclude(id=mid)])()
        self.assertEqual([m["id"] for m in created], stored)
        self.assertEqual([m["role"] for m in created], ["assistant", "tool", "assistant", "tool", "assistant"])
        await ws.disconnect()

    async def test_handshake_is_refused_without_valid_credentials_or_ownership(self):
        cid, _ = await database_sync_to_async(make_conversation)("user_owner", "x #ok")
        for token in ("garbage", self.clerk.token(sub="user_owner", ttl=-10), self.clerk.token(sub="user_other")):
            ws, connected = await self.open(cid, token=token)
            self.assertFalse(connected)
        ws, connected = await self.open(cid)
        self.assertFalse(connected)
        ws, connected = await self.open("00000000-0000-0000-0000-000000000000", token=self.clerk.token(sub="user_owner"))
        self.assertFalse(connected)

    async def test_session_cookie_is_accepted(self):
        cid, _ = await database_sync_to_async(make_conversation)("user_cookie", "x #ok")
        cookie = await database_sync_to_async(session_cookie)("user_cookie")
        ws, connected = await self.open(cid, cookie=cookie)
        self.assertTrue(connected)
        await ws.disconnect()
        other = await database_sync_to_async(session_cookie)("user_intruder")
        ws, connected = await self.open(cid, cookie=other)
        self.assertFalse(connected)

    async def test_token_expiry_closes_with_the_auth_code(self):
        cid, _ = await database_sync_to_async(make_conversation)("user_exp", "x #ok")
        ws, connected = await self.open(cid, token=self.clerk.token(sub="user_exp", ttl=2))
        self.assertTrue(connected)
        out = await ws.receive_output(timeout=5)
        self.assertEqual(out, {"type": "websocket.close", "code": AUTH_CLOSE_CODE})
