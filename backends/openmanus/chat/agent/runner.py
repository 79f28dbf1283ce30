"""Runs the scripted agent: persists each planned message, sends each frame to the conversation's
group, one run at a time per conversation (a follow-up waits for the current run).

AsyncioRunner runs on daphne's event loop with real pauses; InlineRunner runs a whole plan at once
(tests of the REST layer, and the demo seed).
"""
import asyncio
import contextvars
import logging

from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.db import transaction
from django.db.models import F

from .. import serializers
from ..models import Conversation, Message
from .script import plan_run

log = logging.getLogger(__name__)


def group_name(conversation_id) -> str:
    return f"conversation_{str(conversation_id).replace('-', '')}"


def notify(event: str, payload: dict) -> dict:
    return {"type": "notify.event", "event": event, "payload": payload}


def plan_for(message_id, seed, max_steps):
    m = Message.objects.get(id=message_id)
    return m.conversation_id, plan_run(m.content or "", seed=seed, run_key=str(m.id), max_steps=max_steps)


def apply_action(conversation_id, action):
    """Persist what an action changes; return the frame to send, or None."""
    kind = action["kind"]
    if kind == "event":
        return notify(action["event"], action["payload"])
    if kind == "cost":
        Conversation.objects.filter(id=conversation_id).update(total_cost=F("total_cost") + action["amount"])
        return None
    if kind == "end":
        Conversation.objects.filter(id=conversation_id, first_initiate=True).update(first_initiate=False)
        return None
    with transaction.atomic():
        m = Message.objects.create(
            conversation_id=conversation_id,
            role=action["role"],
            content=action["content"],
            tool_calls=action.get("tool_calls"),
            tool_call_id=action.get("tool_call_id"),
        )
        Conversation.objects.filter(id=conversation_id).update(updated_at=m.created_at)
    return notify("message.created", {"message": serializers.message(m)})


class AsyncioRunner:
    def __init__(self, *, seed, tick_ms, max_steps):
        self.seed = seed
        self.tick = tick_ms / 1000
        self.max_steps = max_steps
        self._locks = {}
        self._tasks = set()

    async def start(self, message_id):
        """Schedule the run for a user message; returns at once (call with async_to_sync from a view)."""
        # A fresh context: the caller's belongs to the request's sync thread, and asgiref would
        # see the run's database calls as re-entering that thread (a deadlock guard trips).
        task = asyncio.get_running_loop().create_task(self._run(message_id), context=contextvars.Context())
        self._tasks.add(task)
        task.add_done_callback(self._done)

    def start_sync(self, message_id):
        async_to_sync(self.start)(message_id)

    def _done(self, task):
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("agent run failed", exc_info=task.exception())

    async def _run(self, message_id):
        conversation_id, plan = await database_sync_to_async(plan_for)(message_id, self.seed, self.max_steps)
        lock = self._locks.setdefault(conversation_id, asyncio.Lock())
        layer = get_channel_layer()
        async with lock:
            for action in plan:
                if action["ticks"]:
                    await asyncio.sleep(action["ticks"] * self.tick)
                frame = await database_sync_to_async(apply_action)(conversation_id, action)
                if frame is not None:
                    await layer.group_send(group_name(conversation_id), frame)


class InlineRunner:
    def __init__(self, *, seed, tick_ms=0, max_steps=20, send=True):
        self.seed = seed
        self.max_steps = max_steps
        self.send = send

    def start_sync(self, message_id):
        conversation_id, plan = plan_for(message_id, self.seed, self.max_steps)
        layer = get_channel_layer() if self.send else None
        for action in plan:
            frame = apply_action(conversation_id, action)
            if frame is not None and layer is not None:
                async_to_sync(layer.group_send)(group_name(conversation_id), frame)
