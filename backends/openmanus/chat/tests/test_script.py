from django.test import SimpleTestCase

from chat.agent.script import choose, plan_run


def events(plan):
    return [a["event"] if a["kind"] == "event" else a["kind"] + (":" + a["role"] if a["kind"] == "message" else "") for a in plan]


class PlanTests(SimpleTestCase):
    def plan(self, text, seed="s"):
        return plan_run(text, seed=seed, run_key="k", max_steps=20)

    def test_ok_run_steps_tool_calls_then_answer_and_finished(self):
        p = events(self.plan("compare prices #ok #steps=2"))
        self.assertEqual(p[:4], ["agent.step", "agent.thoughts.start", "agent.thoughts.finish", "agent.usage"])
        self.assertEqual(p.count("agent.tool_result"), 2)
        self.assertEqual(p.count("message:tool"), 2)
        self.assertEqual(p[-3:], ["message:assistant", "agent.finished", "end"])
        steps = [a["payload"]["step"] for a in self.plan("compare prices #ok #steps=2") if a.get("event") == "agent.step"]
        self.assertEqual(steps, [1, 2, 3])

    def test_every_tool_call_has_its_tool_message(self):
        for tag in ("#ok", "#tool-error", "#stuck", "#fail", "#file"):
            plan = self.plan(f"task {tag}")
            calls = [c["id"] for a in plan if a["kind"] == "message" and a["tool_calls"] for c in a["tool_calls"]]
            answers = [a["tool_call_id"] for a in plan if a["kind"] == "message" and a["role"] == "tool"]
            self.assertEqual(calls, answers, tag)
            self.assertEqual(len(set(calls)), len(calls), tag)

    def test_tool_error_run_recovers(self):
        p = self.plan("look it up #tool-error")
        self.assertIn("agent.tool_error", events(p))
        err = next(a for a in p if a.get("event") == "agent.tool_error")
        self.assertEqual(set(err["payload"]), {"tool", "tool_call_id", "error"})
        self.assertIn("agent.finished", events(p))

    def test_stuck_run_repeats_and_stops_with_a_system_message(self):
        e = events(self.plan("log in #stuck"))
        self.assertEqual(e.count("agent.step"), 3)
        self.assertEqual(e[-3:], ["agent.stuck", "message:system", "end"])
        self.assertNotIn("agent.finished", e)

    def test_failed_run_reports_agent_error(self):
        p = self.plan("translate #fail")
        err = next(a for a in p if a.get("event") == "agent.error")
        self.assertEqual(set(err["payload"]), {"type", "detail"})
        self.assertEqual(events(p)[-2:], ["message:system", "end"])
        self.assertEqual(p[-1]["outcome"], "fail")

    def test_file_events(self):
        e = events(self.plan("write notes #ok #file"))
        self.assertLess(e.index("file.created"), e.index("file.updated"))

    def test_same_text_same_plan_and_untagged_texts_reach_every_outcome(self):
        self.assertEqual(events(self.plan("hello there")), events(self.plan("hello there")))
        outcomes = {choose(f"question {i}", "s", 20)["outcome"] for i in range(200)}
        self.assertEqual(outcomes, {"ok", "tool_error", "stuck", "fail"})

    def test_hostile_run_carries_html_big_and_deep_payloads(self):
        p = self.plan("#hostile #steps=1")
        result = next(a for a in p if a.get("event") == "agent.tool_result")["payload"]
        self.assertIn("<script>", result["result"])
        self.assertGreater(len(result["result"]), 100_000)
        depth, node = 0, result["tool_args"]["nested"]
        while isinstance(node, dict) and len(node) == 2:
            node = next(v for k, v in node.items() if k != "html")
            depth += 1
        self.assertGreaterEqual(depth, 100)

    def test_steps_are_bounded_by_max_steps(self):
        steps = choose("x #steps=500", "s", 20)["steps"]
        self.assertEqual(steps, 19)

    def test_hostile_burst_emits_n_short_hostile_steps_then_huge_and_deep(self):
        plan = self.plan("#hostile=200 #ok")
        e = events(plan)
        self.assertEqual(e.count("agent.step"), 201)  # 200 tool steps and the answer's
        results = [a["payload"] for a in plan if a.get("event") == "agent.tool_result"]
        tool_messages = [a["content"] for a in plan if a["kind"] == "message" and a["role"] == "tool"]
        self.assertEqual(len(results), 200)
        self.assertEqual(tool_messages, [r["result"] for r in results])
        self.assertTrue(all("<" in r["result"] or "__pwned" in r["result"] or "javascript:" in r["result"] or "\u202e" in r["result"] or "\u200b" in r["result"] for r in results[:-2]))
        self.assertEqual(len({r["result"] for r in results}), 200)
        self.assertGreater(len(results[-2]["result"]), 1_000_000)
        self.assertIn('"huge": true', results[-2]["result"][:20])
        depth, node = 0, results[-1]["tool_args"]["nested"]
        while isinstance(node, dict) and "leaf" not in node:
            node = next(iter(node.values()))
            depth += 1
        self.assertEqual(depth, 400)
        steps = [a["payload"] for a in plan if a.get("event") == "agent.step"]
        self.assertEqual({s["max_steps"] for s in steps}, {201})
        self.assertEqual(e[-3:], ["message:assistant", "agent.finished", "end"])
        self.assertEqual(plan[-1]["outcome"], "ok")

    def test_hostile_burst_is_capped(self):
        self.assertEqual(choose("#hostile=100000", "s", 20)["burst"], 500)
        self.assertEqual(choose("#hostile #steps=2", "s", 20)["burst"], 0)
