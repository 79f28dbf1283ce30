"""Conversations with an agent and the messages of its memory (user, assistant, tool, system)."""
import uuid

from django.conf import settings
from django.db import models


class Conversation(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conversations")
    title = models.CharField(max_length=200)
    llm_model = models.CharField(max_length=100)
    agent_type = models.CharField(max_length=50, default="manus")
    llm_overrides = models.JSONField(default=dict, blank=True)
    total_cost = models.FloatField(default=0.0)
    # True until the agent has finished its first run (the one the creation started).
    first_initiate = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]


class Message(models.Model):
    ROLES = [(r, r) for r in ("user", "assistant", "tool", "system")]

    # `seq` orders messages exactly (two can share a timestamp); `id` is what the API shows.
    seq = models.BigAutoField(primary_key=True)
    id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="messages")
    role = models.CharField(max_length=10, choices=ROLES)
    content = models.TextField(null=True, blank=True)
    tool_calls = models.JSONField(null=True, blank=True)
    tool_call_id = models.CharField(max_length=100, null=True, blank=True)
    base64_image = models.TextField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["seq"]
