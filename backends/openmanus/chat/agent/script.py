"""The scripted agent's plan for one user message: a pure list of actions, no I/O.

What a run does is fixed by the message text (and the seed), so a test can ask for each outcome:
  #ok  #tool-error  #stuck  #fail   the outcome (otherwise picked from a hash of seed + text:
                                    70 % ok, 15 % a tool error it recovers from, 10 % stuck, 5 % fail)
  #steps=N                          N tool steps before the answer (default 2 or 3)
  #file                             the run writes a file (file.created, then file.updated)
  #hostile                          tool args and results with HTML, huge JSON and deep nesting
  #hostile=N                        a burst of N short tool steps (up to 500, not bounded by max_steps),
                                    each with a different hostile text (markup, javascript: links,
                                    bidi and zero-width characters); the last two carry ~1.5 MB of
                                    JSON and a payload nested 400 deep

Actions (the runner pauses `ticks` ticks before each):
  {"kind": "event", "event": E, "payload": {...}}            one notify frame, not persisted
  {"kind": "message", "role": R, "content": ..., ...}       persisted, then a message.created frame
  {"kind": "cost", "amount": x}                             added to the conversation's total_cost
  {"kind": "end", "outcome": O}                             the run is over (first_initiate false)
"""
import hashlib
import json
import re

TAG_OUTCOMES = {"#ok": "ok", "#tool-error": "tool_error", "#stuck": "stuck", "#fail": "fail"}


def _hash(*parts) -> int:
    return int.from_bytes(hashlib.sha256("\0".join(str(p) for p in parts).encode()).digest()[:8], "big")


def choose(text: str, seed: str, max_steps: int):
    lowered = (text or "").lower()
    h = _hash(seed, text)
    outcome = next((o for tag, o in TAG_OUTCOMES.items() if tag in lowered), None)
    if outcome is None:
        r = h % 20
        outcome = "ok" if r < 14 else "tool_error" if r < 17 else "stuck" if r < 19 else "fail"
    burst = re.search(r"#hostile=(\d+)", lowered)
    m = re.search(r"#steps=(\d+)", lowered)
    steps = int(m.group(1)) if m else 2 + (h >> 16) % 2
    steps = max(1, min(steps, max_steps - 1))
    return {
        "outcome": outcome,
        "steps": steps,
        "file": "#file" in lowered or (outcome == "ok" and (h >> 8) % 3 == 0),
        "hostile": "#hostile" in lowered,
        "burst": min(int(burst.group(1)), MAX_BURST) if burst else 0,
    }


def _excerpt(text: str, n: int = 60) -> str:
    one_line = " ".join((text or "").split())
    return one_line if len(one_line) <= n else one_line[: n - 1] + "…"


def _hostile_args(depth: int = 120):
    nested = {"leaf": "<img src=x onerror=alert(1)>"}
    for i in range(depth):
        nested = {f"level{i}": nested, "html": "<b>bold</b>"}
    return {"code": "print('<script>alert(1)</script>')", "nested": nested}


def _hostile_result() -> str:
    big = json.dumps({"rows": [{"i": i, "html": "<iframe src=javascript:alert(1)>"} for i in range(8000)]})
    return "<script>alert('xss')</script>\u202e<a href=\"javascript:alert(1)\">click</a>\u200b " + big


MAX_BURST = 500
BURST_DEPTH = 400

# What a hostile tool could print: each must stay text in a client (the canary is window.__pwned).
HOSTILE_TEXTS = [
    "<script>window.__pwned=1</script>",
    "<img src=x onerror=\"window.__pwned=1\">",
    "<svg onload=\"window.__pwned=1\"></svg>",
    "<a href=\"javascript:window.__pwned=1\">click</a>",
    "javascript:window.__pwned=1",
    "<iframe srcdoc=\"<script>parent.__pwned=1</script>\"></iframe>",
    "\"><script>alert(1)</script>",
    "{{constructor.constructor('window.__pwned=1')()}}",
    "[click](javascript:window.__pwned=1)",
    "<style>body{display:none}</style>",
    "<meta http-equiv=\"refresh\" content=\"0;url=https://evil.example\">",
    "\u202ereversed text\u202c normal https://example.com/\u202egnp.exe",
    "zero\u200b\u200c\u200d\ufeffwidth http://ex\u200bample.com",
    "<details open ontoggle=\"window.__pwned=1\">x</details>",
    "control \u0001\u0007\u001b[31m chars &lt;b&gt; <b>bold</b>",
]


def _deep(depth: int = BURST_DEPTH):
    node = {"leaf": "<img src=x onerror=\"window.__pwned=1\">"}
    for i in range(depth):
        node = {f"level{i}": node}
    return node


def _huge_json() -> str:
    rows = [{"i": i, "html": "<img src=x onerror=\"window.__pwned=1\">", "note": "\u202e\u200b" + "x" * 40} for i in range(14000)]
    return json.dumps({"huge": True, "rows": rows})


def burst_steps(n: int):
    """(args, result) of each of the burst's n steps."""
    out = []
    for i in range(n):
        text = f"{HOSTILE_TEXTS[i % len(HOSTILE_TEXTS)]} #{i}"
        out.append(({"code": f"print({text!r})"}, text))
    if n >= 2:
        out[-2] = ({"code": "print(dump())"}, _huge_json())
        out[-1] = ({"nested": _deep()}, json.dumps(_deep()))
    return out


TOOLS = [
    ("web_search", lambda q, i: {"query": q}, lambda q, i: f"1. {q} — overview (example.org)\n2. {q} explained (example.com)"),
    ("browser_use", lambda q, i: {"action": "go_to_url", "url": f"https://example.org/search?q=step{i}"},
     lambda q, i: f"Navigated to https://example.org/search?q=step{i}"),
    ("python_execute", lambda q, i: {"code": f"print(len({q!r}))"},
     lambda q, i: json.dumps({"observation": f"{len(q)}\n", "success": True})),
]


class _Plan:
    def __init__(self, run_key: str, max_steps: int):
        self.actions = []
        self.run_key = run_key
        self.max_steps = max_steps

    def event(self, event, payload, ticks=1):
        self.actions.append({"kind": "event", "event": event, "payload": payload, "ticks": ticks})

    def message(self, role, content, ticks=0, tool_calls=None, tool_call_id=None):
        self.actions.append(
            {"kind": "message", "role": role, "content": content, "tool_calls": tool_calls,
             "tool_call_id": tool_call_id, "ticks": ticks}
        )

    def think(self, step, thought, cost=0.0012):
        self.event("agent.step", {"step": step, "max_steps": self.max_steps})
        self.event("agent.thoughts.start", {"content": ""})
        self.event("agent.thoughts.finish", {"content": thought}, ticks=2)
        self.event("agent.usage", {"step": step, "prompt_tokens": 900 + 40 * step, "completion_tokens": 60, "cost": cost}, ticks=0)
        self.actions.append({"kind": "cost", "amount": cost, "ticks": 0})

    def call(self, step, thought, tool, args):
        call_id = "call_" + hashlib.sha256(f"{self.run_key}:{step}:{tool}".encode()).hexdigest()[:24]
        self.event("agent.tools_prepared", {"tool_name": tool, "tool_args": args, "status": "prepared"})
        self.message("assistant", thought, tool_calls=[
            {"id": call_id, "type": "function", "function": {"name": tool, "arguments": json.dumps(args)}}
        ])
        return call_id

    def result(self, tool, args, call_id, result):
        self.event("agent.tool_result", {"tool_name": tool, "tool_args": args, "tool_call_id": call_id,
                                         "result": result, "status": "success"}, ticks=2)
        self.message("tool", result, tool_call_id=call_id)

    def tool_error(self, tool, call_id, error):
        self.event("agent.tool_error", {"tool": tool, "tool_call_id": call_id, "error": error}, ticks=2)
        self.message("tool", f"Error: {error}", tool_call_id=call_id)


def plan_run(text: str, *, seed: str, run_key: str, max_steps: int = 20) -> list:
    c = choose(text, seed, max_steps)
    q = _excerpt(text)
    p = _Plan(run_key, max_steps)
    step = 0

    if c["outcome"] == "stuck":
        args = {"action": "go_to_url", "url": "https://example.org/login"}
        for step in range(1, 4):
            thought = "The page did not load the results. I will open it again."
            p.think(step, thought)
            cid = p.call(step, thought, "browser_use", args)
            p.result("browser_use", args, cid, "Navigated to https://example.org/login (no results shown)")
        detail = "Observed duplicate responses: the agent repeated the same action 3 times"
        p.event("agent.stuck", {"detail": detail, "step": step, "duplicates": 3})
        p.message("system", f"Agent stuck: {detail}. The run stopped.")
        p.actions.append({"kind": "end", "outcome": "stuck", "ticks": 0})
        return p.actions

    if c["burst"]:
        total = p.max_steps = max(max_steps, c["burst"] + 1)
        for step, (args, result) in enumerate(burst_steps(c["burst"]), start=1):
            p.event("agent.step", {"step": step, "max_steps": total})
            cid = p.call(step, f"Step {step}: running python_execute.", "python_execute", args)
            p.result("python_execute", args, cid, result)
        step = c["burst"]
        c["file"] = False
    for i in range(0 if c["burst"] else c["steps"]):
        step = i + 1
        name, make_args, make_result = TOOLS[(_hash(text, i) >> 4) % len(TOOLS)]
        if c["hostile"]:
            name, args, result = "python_execute", _hostile_args(), _hostile_result()
        else:
            args, result = make_args(q, step), make_result(q, step)
        thought = f"Step {step}: to answer “{q}” I will use {name}."
        p.think(step, thought)
        if c["outcome"] == "fail" and step == 2:
            detail = "Request may exceed input token limit (context window of the model)"
            p.event("agent.error", {"type": "TokenLimitExceeded", "detail": detail})
            p.message("system", f"Error: {detail}")
            p.actions.append({"kind": "end", "outcome": "fail", "ticks": 0})
            return p.actions
        cid = p.call(step, thought, name, args)
        if c["outcome"] == "tool_error" and step == 1:
            p.tool_error(name, cid, f"{name} timed out after 5 seconds")
            continue
        p.result(name, args, cid, result)

    if c["file"]:
        step += 1
        path = "/workspace/report.md"
        args = {"command": "create", "path": path, "file_text": f"# Notes on {q}\n"}
        p.think(step, f"Step {step}: I will write my notes to {path}.")
        cid = p.call(step, f"Writing notes to {path}.", "str_replace_editor", args)
        p.event("file.created", {"file": {"path": path, "name": "report.md", "size": len(args["file_text"])}})
        p.result("str_replace_editor", args, cid, f"File created successfully at: {path}")
        p.event("file.updated", {"file": {"path": path, "name": "report.md", "size": len(args["file_text"]) + 24}})

    if c["outcome"] == "fail":  # a one-step run fails at its answer instead
        detail = "The model returned an empty response"
        p.think(step + 1, "")
        p.event("agent.error", {"type": "LLMError", "detail": detail})
        p.message("system", f"Error: {detail}")
        p.actions.append({"kind": "end", "outcome": "fail", "ticks": 0})
        return p.actions

    step += 1
    answer = f"Here is what I found about “{q}”: the sources agree, and the details are in the steps above."
    p.think(step, "I have what I need; I will answer and finish.")
    p.event("agent.tools_prepared", {"tool_name": "terminate", "tool_args": {"status": "success"}, "status": "prepared"})
    p.message("assistant", answer, ticks=1)
    p.event("agent.finished", {"tool": "terminate", "status": "success"}, ticks=0)
    p.actions.append({"kind": "end", "outcome": "ok" if c["outcome"] == "ok" else "tool_error", "ticks": 0})
    return p.actions
