from unittest import mock

from django.core.cache import cache
from django.test import TestCase
from rest_framework.test import APIClient
from rest_framework.throttling import AnonRateThrottle

from mentorsite.testing import PASSWORD, logged_in, teacher_and_student

LOGIN = "/en/api/v1/auth/login/"
REFRESH = "/en/api/v1/auth/token/refresh/"
LIST = "/en/api/v1/chat/teacher/conversations/"


class LoginTests(TestCase):
    def setUp(self):
        cache.clear()
        self.teacher, self.student = teacher_and_student()

    def test_login_by_username_or_email_returns_tokens_user_and_session_cookies(self):
        for login in ("teacher", "teacher@example.com"):
            client = APIClient()
            res = client.post(LOGIN, {"username": login, "password": PASSWORD}, format="json")
            self.assertEqual(res.status_code, 200)
            body = res.json()
            self.assertEqual(set(body), {"refresh", "access", "user"})
            self.assertEqual(body["user"]["id"], self.teacher.pk)
            self.assertEqual(body["user"]["role"], "TEACHER")
            self.assertEqual(body["user"]["username"], "teacher")
            self.assertEqual(body["user"]["email"], "teacher@example.com")
            self.assertIn("full_name", body["user"])
            self.assertTrue(res.cookies["sessionid"]["httponly"])
            self.assertEqual(int(res.cookies["sessionid"]["max-age"]), 14 * 24 * 3600)
            self.assertTrue(res.cookies["csrftoken"].value)

    def test_wrong_password_is_400_non_field_errors(self):
        res = APIClient().post(LOGIN, {"username": "teacher", "password": "nope"}, format="json")
        self.assertEqual(res.status_code, 400)
        self.assertIn("non_field_errors", res.json())
        self.assertNotIn("sessionid", res.cookies)

    def test_refresh_rotates_and_the_used_refresh_token_is_dead(self):
        tokens = logged_in(self.teacher).tokens
        client = APIClient()
        res = client.post(REFRESH, {"refresh": tokens["refresh"]}, format="json")
        self.assertEqual(res.status_code, 200)
        fresh = res.json()
        self.assertEqual(set(fresh), {"access", "refresh"})
        self.assertNotEqual(fresh["refresh"], tokens["refresh"])
        self.assertEqual(client.post(REFRESH, {"refresh": tokens["refresh"]}, format="json").status_code, 401)
        ok = APIClient(HTTP_AUTHORIZATION=f"Bearer {fresh['access']}").get(LIST)
        self.assertEqual(ok.status_code, 200)

    def test_access_lifetime_comes_from_settings(self):
        from rest_framework_simplejwt.tokens import AccessToken

        token = AccessToken(logged_in(self.teacher).tokens["access"])
        self.assertEqual(token["exp"] - token["iat"], 3600)

    def test_anonymous_requests_are_throttled_and_logins_count(self):
        from django.conf import settings

        self.assertEqual(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["anon"], "100/hour")
        with mock.patch.object(AnonRateThrottle, "THROTTLE_RATES", {"anon": "3/hour"}):
            codes = [APIClient().post(LOGIN, {"username": "teacher", "password": "x"}, format="json").status_code for _ in range(4)]
        self.assertEqual(codes, [400, 400, 400, 429])


class RestAuthTests(TestCase):
    def setUp(self):
        cache.clear()
        self.teacher, self.student = teacher_and_student()
        self.client = logged_in(self.teacher)
        from chat.models import Conversation

        self.conversation = Conversation.objects.create(student=self.student.profile, teacher=self.teacher.profile)
        self.mark = f"/en/api/v1/chat/conversations/{self.conversation.pk}/mark-read/"

    def test_bearer_needs_no_csrf(self):
        client = APIClient(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Bearer {self.client.tokens['access']}")
        self.assertEqual(client.post(self.mark).status_code, 200)

    def test_session_unsafe_methods_need_the_csrf_token_and_a_matching_origin(self):
        self.assertEqual(self.client.get(LIST).status_code, 200)
        res = self.client.post(self.mark)
        self.assertEqual(res.status_code, 403)
        self.assertIn("CSRF", res.json()["detail"])
        token = self.client.cookies["csrftoken"].value
        self.assertEqual(self.client.post(self.mark, HTTP_X_CSRFTOKEN=token).status_code, 200)
        bad = self.client.post(self.mark, HTTP_X_CSRFTOKEN=token, HTTP_ORIGIN="http://evil.example")
        self.assertEqual(bad.status_code, 403)
        self.assertIn("Origin checking failed", bad.json()["detail"])
        self.assertEqual(self.client.post(self.mark, HTTP_X_CSRFTOKEN=token, HTTP_ORIGIN="http://testserver").status_code, 200)

    def test_an_invalid_bearer_is_401_even_with_a_valid_session_cookie(self):
        self.assertEqual(self.client.get(LIST).status_code, 200)
        res = self.client.get(LIST, HTTP_AUTHORIZATION="Bearer not-a-jwt")
        self.assertEqual(res.status_code, 401)
        self.assertEqual(res.json()["code"], "token_not_valid")

    def test_no_credentials_is_401(self):
        self.assertEqual(APIClient().get(LIST).status_code, 401)


class PrefixTests(TestCase):
    def test_unprefixed_path_302_to_en_and_missing_slash_301(self):
        client = APIClient()
        res = client.get("/api/v1/chat/teacher/conversations/")
        self.assertEqual(res.status_code, 302)
        self.assertEqual(res["Location"], "/en/api/v1/chat/teacher/conversations/")
        res = client.get("/en/api/v1/chat/teacher/conversations")
        self.assertEqual(res.status_code, 301)
        self.assertEqual(res["Location"], "/en/api/v1/chat/teacher/conversations/")
        self.assertEqual(client.post("/en/api/v1/auth/login").status_code, 301)
