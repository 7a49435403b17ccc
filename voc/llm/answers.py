"""Turning a model's reply into a validated answer: parse the JSON, check it against the schema,
and keep only claims whose quote ids exist in the evidence."""

from __future__ import annotations

import json
import re
from collections.abc import Collection
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

T = TypeVar("T", bound=BaseModel)
FENCE = re.compile(r"```(?:json)?\s*(.*?)```", re.DOTALL)


class InvalidAnswer(Exception):
    """The reply cannot be used as it is; the message is fit to send back for a repair."""


def parse_json(text: str) -> dict[str, Any]:
    """The JSON object in a reply, tolerating code fences and chatter around it."""
    fenced = FENCE.search(text)
    candidates = [fenced.group(1)] if fenced else []
    candidates.append(text)
    start, end = text.find("{"), text.rfind("}")
    if 0 <= start < end:
        candidates.append(text[start : end + 1])
    for candidate in candidates:
        try:
            value = json.loads(candidate)
        except ValueError:
            continue
        if isinstance(value, dict):
            return value
    raise InvalidAnswer(f"it is not a JSON object (it starts with {text[:80]!r}).")


def _validate(value: dict[str, Any], schema: type[T]) -> T:
    try:
        return schema.model_validate(value)
    except ValidationError as err:
        problems = "; ".join(
            f"{'.'.join(map(str, e['loc'])) or 'answer'}: {e['msg']}" for e in err.errors()[:8]
        )
        raise InvalidAnswer(f"it does not match the schema ({problems}).") from None


def _prune(value: Any, evidence: Collection[str], invented: list[str]) -> tuple[Any, bool]:
    """(value without invented ids, whether it cited any). An item of a list that cites an
    invented id is dropped whole; elsewhere only the invented ids are removed."""
    if isinstance(value, list):
        pruned = [_prune(item, evidence, invented) for item in value]
        return [item for item, tainted in pruned if not tainted], False
    if not isinstance(value, dict):
        return value, False
    out = {key: _prune(item, evidence, invented)[0] for key, item in value.items()}
    ids = value.get("quote_ids")
    if not isinstance(ids, list):
        return out, False
    bad = [str(i) for i in ids if str(i) not in evidence]
    invented.extend(bad)
    out["quote_ids"] = [i for i in ids if str(i) in evidence]
    return out, bool(bad)


def _citations(value: Any) -> int:
    """How many objects in the answer carry quote ids."""
    if isinstance(value, list):
        return sum(_citations(item) for item in value)
    if isinstance(value, dict):
        own = 1 if value.get("quote_ids") else 0
        return own + sum(_citations(item) for item in value.values())
    return 0


def accept(text: str, schema: type[T], evidence: Collection[str]) -> tuple[T, list[str]]:
    """The validated answer and the invented quote ids dropped from it. Raises InvalidAnswer
    when the reply is unusable, including when every cited claim cites invented ids."""
    answer = _validate(parse_json(text), schema)
    invented: list[str] = []
    pruned, _ = _prune(answer.model_dump(mode="json"), set(evidence), invented)
    if not invented:
        return answer, []
    unknown = ", ".join(sorted(set(invented))[:10])
    if _citations(pruned) == 0:
        raise InvalidAnswer(f"every claim cites quote ids that are not in the data ({unknown}).")
    try:
        return schema.model_validate(pruned), invented
    except ValidationError:
        raise InvalidAnswer(f"it cites quote ids that are not in the data ({unknown}).") from None
