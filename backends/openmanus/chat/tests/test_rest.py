"""REST under /api/v1/chat with Clerk-style Bearer tokens and the session cookie."""
import json
import time

from django.contrib.auth import get_user_model
from django.test import Client, TestCase

from .helpers import AUDIENCE, ClerkStandIn, use_inline_runner

API = "/api/v1/chat"


class RestTestCase(TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.clerk = ClerkStandIn()

    @classmethod
    def tearDownClass(cls):
        cls.clerk.close()
        super().tearDownClass()

    def setUp(self):
        use_inline_runner(self)
        self.http = Client()

    def call(self, method, path, body=None, token=None, **headers):
        token = self.clerk.token() if token is None else token
        if token:
            headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        kwargs = {"content_type": "application/json", "data": json.dumps(body)} if body is not None else {}
        return getattr(self.http, method)(f"{API}{path}", **kwargs, **headers)

    def create(self, content="Plan a trip #ok", model="gpt-4o", **kw):
        r = self.call("post", "/conversations", {"model": model, "content": content}, **kw)
        self.assertEqual(r.status_code, 200, r.content)
        return r.json()


class AuthTests(RestTestCase):
    def test_valid_token_maps_sub_to_a_user(self):
        r = self.call("get", "/conversations", token=self.clerk.token(sub="user_abc"))
        self.assertEqual((r.status_code, r.json()), (200, []))
        self.assertTrue(get_user_model().objects.filter(username="user_abc").exists())

    def test_rejected_tokens_are_401_json(self):
        other = ClerkStandIn(activate=False)  # only its key is used: one the JWKS does not hold
        self.addCleanup(other.close)
        cases = {
            "expired": self.clerk.token(ttl=-30),
            "wrong audience": self.clerk.token(audience="someone-else"),
            "wrong issuer": self.clerk.token(issuer="https://evil.invalid"),
            "unknown key": other.token(),
            "garbage": "not.a.jwt",
        }
        for name, token in cases.items():
            r = self.call("get", "/conversations", token=token)
            self.assertEqual(r.status_code, 401, name)
            self.assertIn("detail", r.json(), name)
            self.assertEqual(r["WWW-Authenticate"], 'Bearer realm="api"', name)

    def test_hs256_token_signed_with_the_public_key_is_refused(self):
        import jwt

        now = int(time.time())
        claims = {"sub": "u", "iss": "https://clerk.test.invalid", "aud": AUDIENCE, "iat": now, "exp": now + 60}
        forged = jwt.encode(claims, "secret", algorithm="HS256", headers={"kid": self.clerk.key.kid})
        self.assertEqual(self.call("get", "/conversations", token=forged).status_code, 401)

    def test_no_credentials_is_401_and_bad_scheme_is_401(self):
        self.assertEqual(self.call("get", "/conversations", token="").status_code, 401)
        r = self.http.get(f"{API}/conversations", HTTP_AUTHORIZATION="Basic abc")
        self.assertEqual(r.status_code, 401)

    def test_session_cookie_reads_and_writes_with_csrf(self):
        user = get_user_model().objects.create_user("user_session", password="pw")
        client = Client(enforce_csrf_checks=True)
        client.force_login(user)
        self.assertEqual(client.get(f"{API}/conversations").status_code, 200)
        body = json.dumps({"model": "m", "content": "hi #ok"})
        self.assertEqual(client.post(f"{API}/conversations", body, content_type="application/json").status_code, 403)
        client.cookies["csrftoken"] = "a" * 32
        r = client.post(f"{API}/conversations", body, content_type="application/json", HTTP_X_CSRFTOKEN="a" * 32)
        self.assertEqual(r.status_code, 200, r.content)

    def test_an_invalid_bearer_does_not_fall_back_to_the_cookie(self):
        user = get_user_model().objects.create_user("user_both", password="pw")
        self.http.force_login(user)
        self.assertEqual(self.call("get", "/conversations", token="bad.token.here").status_code, 401)


class ConversationTests(RestTestCase):
    def test_create_lists_and_runs_the_agent(self):
        c = self.create("Plan a trip to Bali #ok #steps=2")
        self.assertEqual(set(c), {"id", "title", "llm_model"})
        self.assertEqual((c["title"], c["llm_model"]), ("Plan a trip to Bali #ok #steps=2", "gpt-4o"))
        self.assertEqual(self.call("get", "/conversations").json(), [c])

        d = self.call("get", f"/conversations/{c['id']}").json()
        self.assertEqual(set(d), {"conversation", "messages", "message_count", "total_cost", "first_initiate"})
        self.assertEqual(d["conversation"]["id"], c["id"])
        roles = [m["role"] for m in d["messages"]]
        self.assertEqual(roles, ["user", "assistant", "tool", "assistant", "tool", "assistant"])
        self.assertEqual(d["message_count"], 6)
        self.assertFalse(d["first_initiate"])
        self.assertAlmostEqual(d["total_cost"], 0.0036)
        m = d["messages"][1]
        self.assertEqual(
            set(m),
            {"id", "conversation_id", "role", "content", "tool_calls", "tool_call_id", "base64_image", "created_at", "updated_at"},
        )
        self.assertEqual(m["tool_calls"][0]["id"], d["messages"][2]["tool_call_id"])
        self.assertEqual(d["messages"][2]["role"], "tool")

        newest_first = self.call("get", f"/conversations/{c['id']}/messages").json()
        self.assertEqual([x["id"] for x in newest_first], [x["id"] for x in reversed(d["messages"])])

    def test_follow_up_message(self):
        c = self.create("first #ok #steps=1")
        r = self.call("post", f"/conversations/{c['id']}/messages", {"content": "and then? #stuck", "base64_image": "iVBORw0KGgo="})
        self.assertEqual(r.status_code, 200)
        body = r.json()
        self.assertEqual((body["attachments_count"], isinstance(body["message"], str)), (1, True))
        msgs = self.call("get", f"/conversations/{c['id']}").json()["messages"]
        sent = next(m for m in msgs if m["id"] == body["message_id"])
        self.assertEqual((sent["role"], sent["base64_image"]), ("user", "iVBORw0KGgo="))
        self.assertEqual(msgs[-1]["role"], "system")
        self.assertIn("stuck", msgs[-1]["content"])
        r = self.call("post", f"/conversations/{c['id']}/messages", {"content": "plain #ok"})
        self.assertEqual(r.json()["attachments_count"], 0)

    def test_validation_errors_are_422_and_change_nothing(self):
        c = self.create()
        bad = [
            ("/conversations", {"content": "x"}),
            ("/conversations", {"model": "m"}),
            ("/conversations", {"model": "m", "content": "   "}),
            ("/conversations", {"model": "m", "content": 5}),
            ("/conversations", {"model": "m", "content": "x", "llm_overrides": [1]}),
            ("/conversations", [1, 2]),
            (f"/conversations/{c['id']}/messages", {}),
            (f"/conversations/{c['id']}/messages", {"content": "x" * 20_001}),
            (f"/conversations/{c['id']}/messages", {"content": "x", "base64_image": 7}),
        ]
        before = self.call("get", f"/conversations/{c['id']}").json()["message_count"]
        for path, body in bad:
            r = self.call("post", path, body)
            self.assertEqual(r.status_code, 422, (path, body))
            self.assertIsInstance(r.json()["detail"], list)
        self.assertEqual(len(self.call("get", "/conversations").json()), 1)
        self.assertEqual(self.call("get", f"/conversations/{c['id']}").json()["message_count"], before)
        r = self.http.post(f"{API}/conversations", "{nope", content_type="application/json",
                           HTTP_AUTHORIZATION=f"Bearer {self.clerk.token()}")
        self.assertEqual(r.status_code, 400)

    def test_someone_elses_or_unknown_conversation_is_404(self):
        c = self.create(token=self.clerk.token(sub="user_a"))
        other = self.clerk.token(sub="user_b")
        for path in (f"/conversations/{c['id']}", f"/conversations/{c['id']}/messages", "/conversations/not-a-uuid",
                     "/conversations/00000000-0000-0000-0000-000000000000"):
            self.assertEqual(self.call("get", path, token=other).status_code, 404, path)
        r = self.call("post", f"/conversations/{c['id']}/messages", {"content": "hi"}, token=other)
        self.assertEqual(r.status_code, 404)
        self.assertEqual(self.call("get", "/conversations", token=other).json(), [])
