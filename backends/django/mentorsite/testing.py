"""Helpers for the Python tests: users with profiles, logged-in clients and socket communicators."""
from channels.testing import WebsocketCommunicator
from rest_framework.test import APIClient

from accounts.models import Role, User, UserProfile

PASSWORD = "pw-for-tests"
ORIGIN = b"http://127.0.0.1"


def make_user(username, role=Role.STUDENT, mentor=None):
    user = User.objects.create_user(username, f"{username}@example.com", PASSWORD)
    UserProfile.objects.create(user=user, full_name=username.title(), role=role, assigned_mentor=mentor)
    return user


def teacher_and_student(teacher="teacher", student="student"):
    t = make_user(teacher, Role.TEACHER)
    s = make_user(student, Role.STUDENT, mentor=t.profile)
    return t, s


def logged_in(user):
    """An APIClient with the real login: sessionid + csrftoken cookies and the JWTs."""
    client = APIClient(enforce_csrf_checks=True)
    res = client.post("/en/api/v1/auth/login/", {"username": user.username, "password": PASSWORD}, format="json")
    assert res.status_code == 200, res.content
    client.tokens = res.json()
    return client


def communicator(path, client=None, origin=ORIGIN, extra_headers=()):
    from mentorsite.asgi import application

    headers = list(extra_headers)
    if origin is not None:
        headers.append((b"origin", origin))
    if client is not None:
        headers.append((b"cookie", f"sessionid={client.cookies['sessionid'].value}".encode()))
    return WebsocketCommunicator(application, path, headers=headers)
