"""Seeds the demo: a teacher, students mentored by the teacher, conversations with history, and
challenge invites. Idempotent (a second run changes nothing). Prints the credentials as one JSON line."""
import json
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from accounts.models import Role, User, UserProfile
from challenges.models import Challenge, ChallengeType
from chat.models import Conversation, Message

TEACHER = {"username": "teacher", "email": "teacher@example.com", "password": "switchboard-demo", "full_name": "Tina Teacher"}
STUDENT_PASSWORD = "student-demo"
FIRST_NAMES = ["Ahmad", "Budi", "Citra", "Dewi", "Eko", "Fajar", "Gita", "Hana", "Indra", "Joko"]
HISTORY = [
    ("student", "Hello, I have a question about the last assignment."),
    ("teacher", "Of course, what is unclear?"),
    ("student", "Question 3: do we round the result?"),
]


def student_spec(i):
    name = FIRST_NAMES[i % len(FIRST_NAMES)]
    suffix = "" if i < len(FIRST_NAMES) else str(i // len(FIRST_NAMES) + 1)
    username = f"{name.lower()}{suffix}"
    return {"username": username, "email": f"{username}@example.com", "password": STUDENT_PASSWORD, "full_name": f"{name} Student{suffix}"}


class Command(BaseCommand):
    help = "Seed the demo teacher, students, conversations and challenge invites."

    def add_arguments(self, parser):
        parser.add_argument("--students", type=int, default=5)
        parser.add_argument("--conversations", type=int, default=None, help="students with a conversation (default: all but one)")

    def user(self, spec, hashes):
        user = User.objects.filter(username=spec["username"]).first()
        if user is None:
            # One PBKDF2 hash per distinct password (a thousand students seed in seconds): the
            # hashes share a salt, which is fine for demo accounts and changes nothing on the wire.
            if spec["password"] not in hashes:
                hashes[spec["password"]] = make_password(spec["password"])
            user = User.objects.create(username=spec["username"], email=spec["email"], password=hashes[spec["password"]])
        return user

    @transaction.atomic
    def handle(self, *args, **opts):
        students = [student_spec(i) for i in range(opts["students"])]
        with_history = opts["conversations"] if opts["conversations"] is not None else max(0, len(students) - 1)
        hashes = {}
        users = [self.user(TEACHER, hashes)] + [self.user(s, hashes) for s in students]
        # Profiles are created after all users, students first, so a profile id is never its user's
        # id: the wire carries both (`sender` is the user, `sender_profile.user_id` the profile).
        for spec, user in list(zip([TEACHER] + students, users))[1:] + [(TEACHER, users[0])]:
            UserProfile.objects.get_or_create(
                user=user,
                defaults={"full_name": spec["full_name"], "role": Role.TEACHER if spec is TEACHER else Role.STUDENT},
            )
        teacher = users[0].profile
        now = timezone.now()
        for n, user in enumerate(users[1:]):
            profile = user.profile
            if profile.assigned_mentor_id is None:
                profile.assigned_mentor = teacher
                profile.save()
            if n >= with_history or Conversation.objects.filter(student=profile, teacher=teacher).exists():
                continue
            conversation = Conversation.objects.create(student=profile, teacher=teacher)
            start = now - timedelta(hours=len(users) - n)
            Conversation.objects.filter(pk=conversation.pk).update(created_at=start)
            for k, (who, text) in enumerate(HISTORY):
                sender = user if who == "student" else teacher.user
                # The last student line stays unread; the earlier ones were read by the teacher.
                Message.objects.create(
                    conversation=conversation, sender=sender, content=text, timestamp=start + timedelta(minutes=k),
                    is_read=k < len(HISTORY) - 1,
                )
        if len(users) >= 3 and not Challenge.objects.exists():
            # Invites for the teacher (who may enable the notification feed) and between students.
            Challenge.objects.create(challenger=users[1], opponent=users[0], challenge_type=ChallengeType.QUICK_QUANT)
            Challenge.objects.create(challenger=users[2], opponent=users[1], challenge_type=ChallengeType.MEDIUM_VERBAL)
        self.stdout.write(json.dumps({"teacher": TEACHER, "students": students}))
