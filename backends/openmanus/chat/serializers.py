"""The wire shapes of backends.md §5 (as deployed)."""


def iso(dt):
    return dt.isoformat().replace("+00:00", "Z")


def conversation_summary(c):
    return {"id": str(c.id), "title": c.title, "llm_model": c.llm_model}


def conversation_full(c):
    return {
        **conversation_summary(c),
        "agent_type": c.agent_type,
        "created_at": iso(c.created_at),
        "updated_at": iso(c.updated_at),
    }


def message(m):
    return {
        "id": str(m.id),
        "conversation_id": str(m.conversation_id),
        "role": m.role,
        "content": m.content,
        "tool_calls": m.tool_calls,
        "tool_call_id": m.tool_call_id,
        "base64_image": m.base64_image,
        "created_at": iso(m.created_at),
        "updated_at": iso(m.updated_at),
    }
