"""REST under /api/v1/chat (backends.md §5, as deployed)."""
import uuid

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.apps import apps
from django.db import transaction
from django.http import Http404
from rest_framework import status
from rest_framework.decorators import api_view
from rest_framework.response import Response

from . import serializers
from .agent.runner import group_name, notify
from .models import Conversation, Message

MAX_CONTENT = 20_000
MAX_IMAGE = 5_000_000


def _invalid(loc, msg, kind="value_error"):
    # The deployed backend (django-ninja) answers validation errors with 422 and this shape.
    return Response({"detail": [{"loc": ["body", *loc], "msg": msg, "type": kind}]}, status=422)


def _body(request):
    data = request.data
    if not isinstance(data, dict):
        return None, _invalid([], "body must be a JSON object", "type_error.dict")
    return data, None


def _text(data, field, required=True, limit=MAX_CONTENT):
    value = data.get(field)
    if value is None:
        return None, (_invalid([field], "field required", "value_error.missing") if required else None)
    if not isinstance(value, str):
        return None, _invalid([field], "str type expected", "type_error.str")
    if required and not value.strip():
        return None, _invalid([field], "must not be empty")
    if len(value) > limit:
        return None, _invalid([field], f"ensure this value has at most {limit} characters", "value_error.any_str.max_length")
    return value, None


def _own_conversation(request, conversation_id):
    try:
        return Conversation.objects.get(id=uuid.UUID(str(conversation_id)), owner=request.user)
    except (ValueError, Conversation.DoesNotExist):
        raise Http404


def _add_user_message(conversation, content, base64_image=None):
    with transaction.atomic():
        m = Message.objects.create(conversation=conversation, role="user", content=content, base64_image=base64_image)
        Conversation.objects.filter(id=conversation.id).update(updated_at=m.created_at)
    async_to_sync(get_channel_layer().group_send)(
        group_name(conversation.id), notify("message.created", {"message": serializers.message(m)})
    )
    apps.get_app_config("chat").runner.start_sync(m.id)
    return m


@api_view(["GET", "POST"])
def conversations(request):
    if request.method == "GET":
        rows = Conversation.objects.filter(owner=request.user).order_by("-created_at")
        return Response([serializers.conversation_summary(c) for c in rows])
    data, err = _body(request)
    if err:
        return err
    model, err = _text(data, "model", limit=100)
    if err:
        return err
    content, err = _text(data, "content")
    if err:
        return err
    agent_type, err = _text(data, "agent_type", required=False, limit=50)
    if err:
        return err
    overrides = data.get("llm_overrides") or {}
    if not isinstance(overrides, dict):
        return _invalid(["llm_overrides"], "value is not a valid dict", "type_error.dict")
    title = " ".join(content.split())[:80]
    c = Conversation.objects.create(
        owner=request.user, title=title, llm_model=model, agent_type=agent_type or "manus", llm_overrides=overrides
    )
    _add_user_message(c, content)
    return Response(serializers.conversation_summary(c))


@api_view(["GET"])
def conversation_detail(request, conversation_id):
    c = _own_conversation(request, conversation_id)
    messages = list(c.messages.order_by("seq"))
    return Response(
        {
            "conversation": serializers.conversation_full(c),
            "messages": [serializers.message(m) for m in messages],
            "message_count": len(messages),
            "total_cost": round(c.total_cost, 6),
            "first_initiate": c.first_initiate,
        }
    )


@api_view(["GET", "POST"])
def conversation_messages(request, conversation_id):
    c = _own_conversation(request, conversation_id)
    if request.method == "GET":
        return Response([serializers.message(m) for m in c.messages.order_by("-seq")])
    data, err = _body(request)
    if err:
        return err
    content, err = _text(data, "content")
    if err:
        return err
    image, err = _text(data, "base64_image", required=False, limit=MAX_IMAGE)
    if err:
        return err
    m = _add_user_message(c, content, image or None)
    return Response(
        {"message": "Message sent successfully", "message_id": str(m.id), "attachments_count": 1 if image else 0},
        status=status.HTTP_200_OK,
    )
