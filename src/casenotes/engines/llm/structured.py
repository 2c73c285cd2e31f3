"""Reading a model's structured answer: ``{"sentences": [{"text": …, "<refs>": [1, 2]}]}``."""

from __future__ import annotations

import json

from casenotes.engines.llm.gateway import ModelUnavailable

_HINT = "Use a model that supports structured output."


def cited_sentences(reply: str, refs: str) -> list[tuple[str, list[int]]]:
    """``(text, numbers)`` for each sentence; the numbers are read from the ``refs`` key
    ("turns", "cites"). A reply that is not JSON or lists no sentences is an error; a malformed
    item is skipped, and a malformed list of numbers counts as none."""
    try:
        data = json.loads(reply)
    except ValueError:
        raise ModelUnavailable("The language model's answer was not valid JSON.",
                               hint=_HINT) from None
    items = data.get("sentences") if isinstance(data, dict) else None
    if not isinstance(items, list) or not items:
        raise ModelUnavailable("The language model's answer did not list sentences.",
                               hint=_HINT)
    out: list[tuple[str, list[int]]] = []
    for item in items:
        if not isinstance(item, dict):
            continue
        text, numbers = item.get("text"), item.get(refs)
        if not isinstance(text, str) or not text.strip():
            continue
        cited = [n for n in numbers if isinstance(n, int) and not isinstance(n, bool)] \
            if isinstance(numbers, list) else []
        out.append((" ".join(text.split()), cited))
    return out
