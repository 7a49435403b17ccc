"""The LLM layer against a real HTTP server (tests/fake_openai.py) with the real openai client:
retries, json_schema fallback, repair, grounding, budgets, cache, privacy and the call log."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest

from tests.fake_openai import FakeOpenAI, Reply, completion, fake_openai
from voc.core.config import Config
from voc.llm.core import LLM, Ask, make_llm
from voc.llm.meter import BudgetExceeded
from voc.llm.params import LLMParams
from voc.llm.schemas import SegmentProfile, ThemeLabel

__all__ = ["fake_openai"]  # the fixture, used by name

QUOTES = [
    {"id": "u_a1", "text": "Month end takes me three days of copying invoices by hand."},
    {"id": "u_b2", "text": "I just want the bank feed to match itself so I can go home."},
]
THEME = {"keywords": ["invoice", "month end"], "quotes": QUOTES, "size": 40}
PROFILE = {
    "facts": {"size": 31, "share": 0.21},
    "themes": [{"label": "Close the books faster", "job": "When…", "lift": 2.4}],
    "quotes": QUOTES,
    "attributes": {"role": {"finance lead": 0.7}},
}
OFFLINE_LABEL = ThemeLabel(name="Offline label", job="When offline, I want to label.")


def offline_label(data: dict[str, Any]) -> ThemeLabel:
    return OFFLINE_LABEL


def offline_profile(data: dict[str, Any]) -> SegmentProfile:
    return SegmentProfile(name="Offline persona", summary="Offline.", key_message="Offline.")


def claim(text: str, *ids: str) -> dict[str, Any]:
    return {"text": text, "quote_ids": list(ids)}


def profile_json(goals: list[dict[str, Any]]) -> str:
    return json.dumps(
        {"name": "Month-End Firefighter", "summary": "Finance leads.", "goals": goals,
         "key_message": "Close the books in hours."}
    )  # fmt: skip


@pytest.fixture
def config(fake_openai: FakeOpenAI, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Config:
    """Point the openai backend at the fake server, with tiny back-off and timeouts."""
    monkeypatch.setenv("OPENAI_BASE_URL", fake_openai.base_url)
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.setenv("VOC_LLM_BACKOFF_BASE", "0.01")
    monkeypatch.setenv("VOC_LLM_TIMEOUT", "0.5")
    assert fake_openai.base_url.startswith("http://127.0.0.1:")
    return Config(cache_dir=tmp_path / "cache")


def new_llm(config: Config, tmp_path: Path, run: str = "run") -> LLM:
    llm = make_llm(LLMParams.from_config(config), tmp_path / run)
    assert llm.backend == "openai"
    return llm


def label(llm: LLM, data: dict[str, Any] = THEME) -> ThemeLabel:
    return llm.ask("theme_label", data, ThemeLabel, offline=offline_label)


def test_answer_is_validated_and_every_call_logged(
    fake_openai: FakeOpenAI, config: Config, tmp_path: Path
) -> None:
    llm = new_llm(config, tmp_path)
    answer = label(llm)
    assert answer != OFFLINE_LABEL
    request = fake_openai.requests[0]
    assert request["model"] == "gpt-4o-mini" and request["temperature"] == 0.2
    assert request["response_format"]["type"] == "json_schema"
    assert request["response_format"]["json_schema"]["schema"] == ThemeLabel.model_json_schema()
    usage = llm.usage()
    assert (usage["calls"], usage["prompt_tokens"], usage["completion_tokens"]) == (1, 100, 20)
    assert usage["est_cost_usd"] == pytest.approx((100 * 0.15 + 20 * 0.60) / 1e6)
    lines = (tmp_path / "run" / "llm" / "log.jsonl").read_text().splitlines()
    entry = json.loads(lines[0])
    assert len(lines) == 1 and entry["task"] == "theme_label" and entry["cache_hit"] is False
    assert entry["messages"] == request["messages"]
    assert json.loads(entry["response"])["name"] == answer.name


def test_retries_429_honouring_retry_after(
    fake_openai: FakeOpenAI, config: Config, tmp_path: Path
) -> None:
    fake_openai.script(
        Reply(429, body={"error": {"message": "slow down"}}, headers={"Retry-After": "1"})
    )
    llm = new_llm(config, tmp_path)
    start = time.monotonic()
    answer = label(llm)
    assert time.monotonic() - start >= 0.95  # waited what the server asked, not the tiny base
    assert answer != OFFLINE_LABEL and len(fake_openai.requests) == 2
    assert llm.usage()["retries"] == 1 and llm.usage()["calls"] == 1


def test_retries_server_errors(fake_openai: FakeOpenAI, config: Config, tmp_path: Path) -> None:
    fake_openai.script(Reply(500, body={"error": {"message": "boom"}}), Reply(503, body="down"))
    llm = new_llm(config, tmp_path)
    assert label(llm) != OFFLINE_LABEL
    assert len(fake_openai.requests) == 3 and llm.usage()["retries"] == 2


def test_retries_timeouts(fake_openai: FakeOpenAI, config: Config, tmp_path: Path) -> None:
    fake_openai.script(Reply(content="{}", delay=1.2))  # longer than the 0.5 s client timeout
    llm = new_llm(config, tmp_path)
    assert label(llm) != OFFLINE_LABEL
    assert len(fake_openai.requests) == 2 and llm.usage()["retries"] == 1


def test_gives_up_then_stops_calling(
    fake_openai: FakeOpenAI, config: Config, tmp_path: Path
) -> None:
    fake_openai.script(*[Reply(500, body={"error": {"message": "boom"}})] * 6)
    messages: list[str] = []
    llm = make_llm(LLMParams.from_config(config), tmp_path / "run", progress=messages.append)
    assert label(llm) == OFFLINE_LABEL
    assert len(fake_openai.requests) == 6
    assert label(llm) == OFFLINE_LABEL  # the server is considered gone: no more requests
    assert len(fake_openai.requests) == 6
    usage = llm.usage()
    assert usage["fallbacks"] == 2 and usage["calls"] == 0
    assert len(usage["errors"]) == 1 and usage["errors"][0].startswith("theme_label: gave up")
    assert any("retrying" in m for m in messages)


def test_falls_back_to_json_object_when_json_schema_is_refused(
    fake_openai: FakeOpenAI, config: Config, tmp_path: Path
) -> None:
    fake_openai.refuse_json_schema = True
    llm = new_llm(config, tmp_path)
    assert label(llm) != OFFLINE_LABEL
    formats = [r["response_format"]["type"] for r in fake_openai.requests]
    assert formats == ["json_schema", "json_object"]
    assert "<schema>" in fake_openai.requests[1]["messages"][-1]["content"]
    assert label(llm, {**THEME, "size": 41}) != OFFLINE_LABEL  # remembered for the session
    assert fake_openai.requests[2]["response_format"]["type"] == "json_object"
    label(new_llm(config, tmp_path, "run2"), {**THEME, "size": 42})  # ...and for the next run
    assert fake_openai.requests[3]["response_format"]["type"] == "json_object"
    assert len(fake_openai.requests) == 4 and llm.usage()["fallbacks"] == 0


@pytest.mark.parametrize(
    ("bad", "complaint"),
    [
        ("Sure! Here it is: {name: 'Close books'", "not a JSON object"),
        ('```json\n{"name": "Close the books"}\n```', "job"),
    ],
)
def test_repairs_a_bad_answer_once(
    fake_openai: FakeOpenAI, config: Config, tmp_path: Path, bad: str, complaint: str
) -> None:
    fake_openai.script(Reply(content=bad))
    llm = new_llm(config, tmp_path)
    assert label(llm) != OFFLINE_LABEL
    assert len(fake_openai.requests) == 2
    repair = fake_openai.requests[1]["messages"]
    assert repair[-2] == {"role": "assistant", "content": bad}
    assert complaint in repair[-1]["content"]
    assert llm.usage()["fallbacks"] == 0


def test_uses_offline_answer_when_repair_fails(
    fake_openai: FakeOpenAI, config: Config, tmp_path: Path
) -> None:
    fake_openai.script(Reply(content="no"), Reply(content='{"name": 3}'))
    llm = new_llm(config, tmp_path)
    assert label(llm) == OFFLINE_LABEL
    usage = llm.usage()
    assert len(fake_openai.requests) == 2 and usage["fallbacks"] == 1 and usage["calls"] == 2
    assert usage["errors"][0].startswith("theme_label: the answer was still unusable")


def test_claims_citing_invented_quote_ids_are_dropped(
    fake_openai: FakeOpenAI, config: Config, tmp_path: Path
) -> None:
    goals = [claim("Close faster", "u_a1"), claim("Invented", "u_a1", "u_zz9")]
    fake_openai.script(Reply(content=profile_json(goals)))
    llm = new_llm(config, tmp_path)
    profile = llm.ask(
        "segment_profile", PROFILE, SegmentProfile, offline=offline_profile,
        evidence_ids={"u_a1", "u_b2"},
    )  # fmt: skip
    assert [g.text for g in profile.goals] == ["Close faster"]
    assert "u_zz9" not in profile.model_dump_json()
    assert len(fake_openai.requests) == 1 and llm.usage()["dropped_quote_ids"] == 1


def test_answer_citing_only_invented_ids_is_repaired(
    fake_openai: FakeOpenAI, config: Config, tmp_path: Path
) -> None:
    fake_openai.script(Reply(content=profile_json([claim("Invented", "u_zz9")])))
    llm = new_llm(config, tmp_path)
    profile = llm.ask("segment_profile", PROFILE, SegmentProfile, offline=offline_profile)
    assert profile.name != "Offline persona"
    assert {i for g in profile.goals for i in g.quote_ids} <= {"u_a1", "u_b2"}
    assert "u_zz9" in fake_openai.requests[1]["messages"][-1]["content"]


def test_budget_stops_before_the_call_that_would_exceed_it(
    fake_openai: FakeOpenAI, config: Config, tmp_path: Path
) -> None:
    llm = new_llm(config.with_updates(max_calls=2), tmp_path)
    items = [Ask("theme_label", {**THEME, "size": n}, ThemeLabel, offline_label) for n in range(4)]
    with pytest.raises(BudgetExceeded) as caught:
        llm.ask_many(items)
    assert len(fake_openai.requests) == 2
    assert sum(r is not None for r in caught.value.results) == 2
    assert "max_calls" in str(caught.value) and "VOC_MAX_CALLS" in str(caught.value)
    done = next(item for item, r in zip(items, caught.value.results, strict=True) if r)
    assert label(llm, done.data) != OFFLINE_LABEL  # cached answers stay free
    assert len(fake_openai.requests) == 2


def test_cost_cap(fake_openai: FakeOpenAI, config: Config, tmp_path: Path) -> None:
    llm = new_llm(config.with_updates(max_cost=1e-7), tmp_path)
    with pytest.raises(BudgetExceeded, match="max_cost"):
        label(llm)
    assert fake_openai.requests == []


def test_second_identical_run_makes_no_request(
    fake_openai: FakeOpenAI, config: Config, tmp_path: Path
) -> None:
    fake_openai.refuse_json_schema = True  # the first request is refused (json_schema)
    fake_openai.script(Reply(content="not json"))  # the second needs a repair
    config = config.with_updates(llm_concurrency=1)  # a fixed order for the script
    items = [
        Ask("theme_label", THEME, ThemeLabel, offline_label),
        Ask("segment_profile", PROFILE, SegmentProfile, offline_profile),
    ]
    first = new_llm(config, tmp_path, "run1").ask_many(items)
    sent = len(fake_openai.requests)
    assert sent == 4 and OFFLINE_LABEL not in first
    again = new_llm(config, tmp_path, "run2")
    assert again.ask_many(items) == first
    assert len(fake_openai.requests) == sent
    usage = again.usage()
    assert usage["calls"] == 0 and usage["cache_hits"] == 3
    log = [
        json.loads(x) for x in (tmp_path / "run2" / "llm" / "log.jsonl").read_text().splitlines()
    ]
    assert [e["cache_hit"] for e in log] == [True] * 3


def test_asks_run_concurrently_within_the_limit(
    fake_openai: FakeOpenAI, config: Config, tmp_path: Path
) -> None:
    original = fake_openai.responder
    fake_openai.responder = lambda request: (time.sleep(0.2), original(request))[1]
    llm = new_llm(config.with_updates(llm_concurrency=3), tmp_path)
    items = [Ask("theme_label", {**THEME, "size": n}, ThemeLabel, offline_label) for n in range(6)]
    start = time.monotonic()
    answers = llm.ask_many(items)
    assert time.monotonic() - start < 1.0  # 6 × 0.2 s one by one would take 1.2 s
    assert fake_openai.max_in_flight == 3 and OFFLINE_LABEL not in answers


def test_no_personal_data_leaves_the_machine(
    fake_openai: FakeOpenAI, config: Config, tmp_path: Path
) -> None:
    leaky = [{"id": "u_c3", "text": "Mail jane.doe@example.com or call +44 20 7946 0958, "
              "card 4111 1111 1111 1111, or (555) 123-4567."}]  # fmt: skip
    label(new_llm(config, tmp_path), {**THEME, "quotes": leaky})
    sent = "\n".join(fake_openai.raw_bodies)
    logged = (tmp_path / "run" / "llm" / "log.jsonl").read_text()
    for secret in ["jane.doe@example.com", "7946", "4111", "123-4567"]:
        assert secret not in sent and secret not in logged
    assert "[EMAIL]" in sent and "u_c3" in sent


def test_unusable_http_reply_falls_back(
    fake_openai: FakeOpenAI, config: Config, tmp_path: Path
) -> None:
    fake_openai.script(Reply(401, body={"error": {"message": "bad key"}}))
    llm = new_llm(config, tmp_path)
    assert label(llm) == OFFLINE_LABEL and label(llm) == OFFLINE_LABEL
    assert len(fake_openai.requests) == 1  # a bad key is not retried, nor asked again
    assert "401" in llm.usage()["errors"][0]


def test_usage_counts_a_completion_without_usage(
    fake_openai: FakeOpenAI, config: Config, tmp_path: Path
) -> None:
    body = completion(json.dumps({"name": "Close books", "job": "When x, I want y, so I can z."}))
    del body["usage"]
    fake_openai.script(Reply(body=body))
    llm = new_llm(config.with_updates(llm_model="local-llama"), tmp_path)
    assert label(llm).name == "Close books"
    usage = llm.usage()
    assert usage["prompt_tokens"] > 0 and usage["est_cost_usd"] == 0
    assert any("No price" in n for n in usage["notes"])


def test_model_without_temperature_support(
    fake_openai: FakeOpenAI, config: Config, tmp_path: Path
) -> None:
    refusal = {"error": {"message": "Unsupported value: 'temperature' does not support 0.2"}}
    fake_openai.script(Reply(400, body=refusal))
    llm = new_llm(config, tmp_path)
    assert label(llm) != OFFLINE_LABEL and label(llm, {**THEME, "size": 2}) != OFFLINE_LABEL
    assert ["temperature" in r for r in fake_openai.requests] == [True, False, False]
