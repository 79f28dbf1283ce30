"""--seed-demo: the demo user and one finished conversation per outcome, loaded once."""
from django.contrib.auth import get_user_model

from .agent.runner import InlineRunner
from .models import Conversation, Message

DEMO_SUB = "user_demo"
DEMO_PASSWORD = "switchboard-demo"  # for the session cookie via /admin/login/

DEMO_CONVERSATIONS = [
    ("gpt-4o", "Find the three cheapest flights from Jakarta to Bali next weekend #ok #file"),
    ("gpt-4o-mini", "Summarise the release notes of the latest Python version #tool-error"),
    ("claude-3-5-sonnet", "Log in to the supplier portal and download last month's invoice #stuck"),
    ("gpt-4o-mini", "Translate the whole 400-page manual into Indonesian #fail"),
]


def ensure_demo_user():
    user, created = get_user_model().objects.get_or_create(username=DEMO_SUB)
    if created or not user.has_usable_password():
        user.set_password(DEMO_PASSWORD)
        user.is_staff = True
        user.save()
    return user


def seed_demo(seed: str, max_steps: int) -> int:
    user = ensure_demo_user()
    if Conversation.objects.filter(owner=user).exists():
        return 0
    runner = InlineRunner(seed=seed, max_steps=max_steps, send=False)
    for model, text in DEMO_CONVERSATIONS:
        c = Conversation.objects.create(owner=user, title=text[:80], llm_model=model)
        m = Message.objects.create(conversation=c, role="user", content=text)
        runner.start_sync(m.id)
    return len(DEMO_CONVERSATIONS)
