"""Group messages to a user's notification socket, as the deployed `notify_user` helper sends them.

The deployed helper names the decline event `challenge_declined_notification`, a type the
NotificationConsumer has no handler for: channels raises "No handler for message type", the
consumer dies and daphne closes the challenger's socket with 1011 and no frame (backends.md §3).
That bug is reproduced on purpose; the cancel path sends nothing at all.
"""
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer


def user_group(user_id):
    return f"user_{user_id}_notifications"


def notify_user(user_id, event_type, payload):
    async_to_sync(get_channel_layer().group_send)(user_group(user_id), {"type": event_type, "payload": payload})
