from asgiref.sync import async_to_sync, sync_to_async
from django.core.cache import cache
from django.test import TransactionTestCase

from accounts.models import Role
from mentorsite.testing import communicator, logged_in, make_user

from .models import Challenge

LIST = "/en/api/v1/challenges/challenges/"
FEED = "/ws/challenges/notifications/"


def session_post(client, path, data=None):
    return client.post(path, data or {}, format="json", HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value)


class NotificationSocketTests(TransactionTestCase):
    def setUp(self):
        cache.clear()
        self.alice = make_user("alice", Role.STUDENT)
        self.bob = make_user("bob", Role.TEACHER)
        self.a = logged_in(self.alice)
        self.b = logged_in(self.bob)

    def test_no_frame_on_connect_and_refused_without_session_or_origin(self):
        async def scenario():
            feed = communicator(FEED, self.b)
            self.assertTrue((await feed.connect())[0])
            self.assertTrue(await feed.receive_nothing(timeout=0.2))
            await feed.disconnect()
            for comm in (communicator(FEED), communicator(FEED, self.b, origin=b"http://evil.example")):
                self.assertFalse((await comm.connect())[0])

        async_to_sync(scenario)()

    def test_invite_accept_cancel_and_the_decline_that_kills_the_socket(self):
        # Views run on another thread, as in daphne; the consumers keep the thread-sensitive one.
        post = sync_to_async(session_post, thread_sensitive=False)

        async def scenario():
            bob_feed = communicator(FEED, self.b)
            alice_feed = communicator(FEED, self.a)
            await bob_feed.connect()
            await alice_feed.connect()

            res = await post(self.a, LIST, {"opponent_username": "bob", "challenge_type": "quick_quant_10"})
            self.assertEqual(res.status_code, 201)
            invite = await bob_feed.receive_json_from()
            self.assertEqual(invite["type"], "new_challenge_invite")
            payload = invite["payload"]
            self.assertEqual(payload["challenger"]["username"], "alice")
            self.assertEqual(payload["opponent"]["username"], "bob")
            for field in ("id", "challenge_type", "challenge_type_display", "status", "status_display", "created_at"):
                self.assertIn(field, payload)
            self.assertEqual(payload["status"], "pending_invite")
            self.assertTrue(await alice_feed.receive_nothing(timeout=0.1))

            res = await post(self.b, f"{LIST}{payload['id']}/accept/")
            self.assertEqual(res.status_code, 200)
            self.assertEqual(
                await alice_feed.receive_json_from(),
                {"type": "challenge_accepted", "payload": {"challenge_id": payload["id"], "accepted_by": "bob"}},
            )

            await post(self.a, LIST, {"opponent_username": "bob", "challenge_type": "medium_verbal_15"})
            cancelled = (await bob_feed.receive_json_from())["payload"]["id"]
            self.assertEqual((await post(self.a, f"{LIST}{cancelled}/cancel/")).status_code, 200)
            self.assertTrue(await bob_feed.receive_nothing(timeout=0.2), "a cancel sends nothing")

            await post(self.a, LIST, {"opponent_username": "bob", "challenge_type": "comprehensive_20"})
            declined = (await bob_feed.receive_json_from())["payload"]["id"]
            self.assertEqual((await post(self.b, f"{LIST}{declined}/decline/")).status_code, 200)
            # No frame: the consumer has no handler for the decline event and dies (daphne: 1011).
            with self.assertRaisesRegex(ValueError, "No handler for message type challenge_declined_notification"):
                await alice_feed.receive_output()
            await bob_feed.disconnect()

        async_to_sync(scenario)()
        self.assertEqual(
            sorted(Challenge.objects.values_list("status", flat=True)), ["accepted", "cancelled", "declined"]
        )

    def test_the_list_is_paginated_newest_first_for_both_sides(self):
        for i in range(23):
            Challenge.objects.create(challenger=self.alice if i % 2 else self.bob, opponent=self.bob if i % 2 else self.alice)
        body = self.a.get(LIST).json()
        self.assertEqual(body["count"], 23)
        self.assertEqual(len(body["results"]), 20)
        ids = [c["id"] for c in body["results"]]
        self.assertEqual(ids, sorted(ids, reverse=True))
        self.assertEqual(len(self.a.get(LIST + "?page=2").json()["results"]), 3)
        outsider = logged_in(make_user("carol"))
        self.assertEqual(outsider.get(LIST).json()["count"], 0)
