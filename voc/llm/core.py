"""The LLM interface the stages use: a structured request in, a validated and grounded answer
out, from the OpenAI-compatible backend or the stage's own offline answer."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Collection, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from voc.core.errors import VocError
from voc.llm.answers import InvalidAnswer, accept
from voc.llm.cache import DiskCache, cache_key
from voc.llm.calllog import CallLog
from voc.llm.client import OpenAITransport, RetryPolicy, SchemaRefused, TransportError
from voc.llm.guard import scrub
from voc.llm.meter import BudgetExceeded, Meter
from voc.llm.params import LLMParams
from voc.llm.pricing import approx_tokens, cost, max_completion_tokens, price
from voc.llm.prompts import TASK_SCHEMAS, render, repair_messages

T = TypeVar("T", bound=BaseModel)
Messages = list[dict[str, str]]
Progress = Callable[[str], None]


@dataclass(frozen=True)
class Ask:
    """One request for `LLM.ask_many`: the same arguments as `LLM.ask`."""

    task: str
    data: dict[str, Any]
    schema: type[BaseModel]
    offline: Callable[[dict[str, Any]], Any]
    evidence_ids: Collection[str] = ()


def _quote_ids(data: dict[str, Any]) -> set[str]:
    """Ids of the quotes a stage put in its data (`quotes: [{"id": ...}]`)."""
    quotes = data.get("quotes") or []
    return {str(q["id"]) for q in quotes if isinstance(q, dict) and "id" in q}


class LLM:
    """One narrow interface: structured request in, validated structured answer out."""

    def __init__(
        self,
        params: LLMParams,
        run_dir: Path,
        *,
        redact: bool = True,
        api_key: str | None = None,
        base_url: str | None = None,
        progress: Progress | None = None,
    ) -> None:
        self.params = params
        self.redact = redact
        self.model = params.llm_model
        self.backend = "openai" if api_key else "offline"
        self._progress = progress
        self._meter = Meter(params.max_calls, params.max_cost)
        self._cache = DiskCache(params.cache_path() / "llm")
        self._log = CallLog(Path(run_dir) / "llm" / "log.jsonl")
        self._broken = False
        self._transport: OpenAITransport | None = None
        self._capability = cache_key("capabilities", base_url or "openai", self.model)
        self._json_schema = (self._cache.get(self._capability) or {}).get("json_schema", True)
        if api_key:
            self._transport = OpenAITransport(
                model=self.model,
                temperature=params.temperature,
                base_url=base_url,
                api_key=api_key,
                policy=RetryPolicy.from_env(),
                on_retry=self._on_retry,
            )
            if price(self.model) is None:
                self._meter.note(f"No price is known for model '{self.model}'; cost counts as 0.")

    # -- public ------------------------------------------------------------------------------

    def ask(
        self,
        task: str,
        data: dict[str, Any],
        schema: type[T],
        *,
        offline: Callable[[dict[str, Any]], T],
        evidence_ids: Collection[str] = (),
    ) -> T:
        """The model's answer to `task` for `data`, validated against `schema`, with every
        quote id inside it in `evidence_ids` (default: the ids of data["quotes"]). Falls back
        to `offline(data)` when there is no model or it gives no usable answer; raises
        BudgetExceeded instead of a call that would go over max_calls / max_cost."""
        if self._transport is None:
            return offline(data)
        if not self._broken:
            evidence = set(map(str, evidence_ids)) or _quote_ids(data)
            try:
                return self._answer(task, data, schema, evidence)
            except (TransportError, InvalidAnswer) as err:
                self._fail(task, err)
        self._meter.add(fallbacks=1)
        return offline(data)

    def ask_many(self, items: Sequence[Ask]) -> list[Any]:
        """Answers for several asks, in order, at most `llm_concurrency` at a time. On
        BudgetExceeded the error carries `results` (None where no answer was made)."""
        results: list[Any] = [None] * len(items)
        stop: BudgetExceeded | None = None
        workers = max(1, self.params.llm_concurrency) if self._transport else 1
        with ThreadPoolExecutor(max_workers=workers) as pool:
            futures = [pool.submit(self._ask_item, item) for item in items]
            for i, future in enumerate(futures):
                if future.cancelled():
                    continue
                try:
                    results[i] = future.result()
                except BudgetExceeded as err:
                    stop = stop or err
                    for rest in futures[i + 1 :]:
                        rest.cancel()
        if stop is not None:
            raise BudgetExceeded(str(stop), results)
        return results

    def ask_all(self, items: Sequence[Ask]) -> list[Any]:
        """Answers for all asks, concurrently; past the budget, the offline answers (the budget
        message is shown once, and the answers already paid for are kept)."""
        try:
            return self.ask_many(items)
        except BudgetExceeded as err:
            self._say(str(err))
            done = err.results or [None] * len(items)
            self.budget_reached(err, sum(a is None for a in done))
            return [
                a if a is not None else item.offline(item.data)
                for a, item in zip(done, items, strict=True)
            ]

    def _ask_item(self, item: Ask) -> Any:
        return self.ask(
            item.task, item.data, item.schema, offline=item.offline, evidence_ids=item.evidence_ids
        )

    def budget_reached(self, err: BudgetExceeded, skipped: int) -> None:
        """Record that `skipped` asks got offline answers because the budget ran out."""
        self._meter.add(fallbacks=skipped, budget_skipped=skipped)
        self._meter.error(str(err))

    def usage(self) -> dict[str, Any]:
        """Calls, cache hits, tokens, estimated cost, fallbacks and errors so far."""
        return {"backend": self.backend, "model": self.model, **self._meter.snapshot()}

    # -- one answer --------------------------------------------------------------------------

    def _answer(self, task: str, data: dict[str, Any], schema: type[T], evidence: set[str]) -> T:
        """The answer, switching to json_object for good if the server refuses json_schema."""
        try:
            return self._answer_once(task, data, schema, evidence)
        except SchemaRefused:
            self._refuse_json_schema()
            return self._answer_once(task, data, schema, evidence)

    def _answer_once(
        self, task: str, data: dict[str, Any], schema: type[T], evidence: set[str]
    ) -> T:
        """Ask, and repair a bad answer once by sending back what was wrong with it."""
        messages, response_format = self._request(task, data, schema)
        text = self._complete(task, messages, response_format)
        try:
            return self._accept(task, text, schema, evidence)
        except InvalidAnswer as err:
            messages = self._scrub(repair_messages(messages, text, str(err)))
        text = self._complete(task, messages, response_format)
        try:
            return self._accept(task, text, schema, evidence)
        except InvalidAnswer as err:
            raise InvalidAnswer(f"the answer was still unusable after one repair: {err}") from None

    def _request(
        self, task: str, data: dict[str, Any], schema: type[BaseModel]
    ) -> tuple[Messages, dict[str, Any]]:
        """Messages and response_format for the server's structured-output ability."""
        if self._json_schema:
            messages = render(task, data, self.params.prompts_dir)
            spec = {"name": schema.__name__, "schema": schema.model_json_schema(), "strict": False}
            return self._scrub(messages), {"type": "json_schema", "json_schema": spec}
        messages = render(task, data, self.params.prompts_dir, schema_in_prompt=schema)
        return self._scrub(messages), {"type": "json_object"}

    def _scrub(self, messages: Messages) -> Messages:
        """Second redaction guard over everything about to be sent (unless redact is off)."""
        if not self.redact:
            return messages
        return [{**m, "content": scrub(m["content"])} for m in messages]

    def _accept(self, task: str, text: str, schema: type[T], evidence: set[str]) -> T:
        answer, invented = accept(text, schema, evidence)
        if invented:
            self._meter.add(dropped_ids=len(invented))
            self._meter.note(f"{task}: claims citing unknown quote ids were dropped.")
        return answer

    def _complete(self, task: str, messages: Messages, response_format: dict[str, Any]) -> str:
        """The reply text from the cache, or from one (budgeted, logged, cached) call."""
        assert self._transport is not None
        key = cache_key(self.model, messages, self.params.temperature, response_format)
        entry = {"task": task, "model": self.model, "messages": messages}
        entry["response_format"] = response_format["type"]
        hit = self._cache.get(key)
        if hit is not None and isinstance(hit.get("text"), str):
            self._meter.add(cache_hits=1)
            self._log.write(**entry, cache_hit=True, response=hit["text"], usage=hit.get("usage"))
            return hit["text"]
        estimate = approx_tokens(json.dumps(messages) + json.dumps(response_format))
        worst = cost(self.model, estimate, max_completion_tokens(task))
        self._meter.reserve(task, worst)
        try:
            done = self._transport.chat(messages, response_format, max_completion_tokens(task))
        except TransportError as err:
            self._meter.release(worst)
            self._log.write(**entry, cache_hit=False, error=str(err))
            raise
        prompt = done.prompt_tokens if done.prompt_tokens is not None else estimate
        completion = done.completion_tokens
        completion = completion if completion is not None else approx_tokens(done.text)
        spent = cost(self.model, prompt, completion)
        usage = {"prompt_tokens": prompt, "completion_tokens": completion, "est_cost_usd": spent}
        self._meter.settle(worst, prompt, completion, spent)
        self._cache.put(key, {"text": done.text, "usage": usage, "model": self.model})
        self._log.write(**entry, cache_hit=False, response=done.text, usage=usage)
        return done.text

    # -- events ------------------------------------------------------------------------------

    def _fail(self, task: str, err: Exception) -> None:
        """Record why `task` gets the offline answer; stop calling after a fatal error."""
        if isinstance(err, TransportError) and err.fatal:
            self._broken = True
            message = f"{task}: {err}. LLM calls stopped for this run; offline answers used."
        else:
            message = f"{task}: {err} The offline answer was used."
        self._meter.error(message)
        self._say(message)

    def _refuse_json_schema(self) -> None:
        """Remember (also on disk, for the next run) that the server wants json_object."""
        self._json_schema = False
        self._cache.put(self._capability, {"json_schema": False})
        self._meter.note("The server refused response_format json_schema; using json_object.")

    def _on_retry(self, reason: str, delay: float) -> None:
        self._meter.add(retries=1)
        self._say(f"LLM request {reason}; retrying in {delay:.1f}s")

    def _say(self, message: str) -> None:
        if self._progress is not None:
            self._progress(message)


def make_llm(
    params: LLMParams, run_dir: Path, *, redact: bool = True, progress: Progress | None = None
) -> LLM:
    """The LLM for a run: params.llm "offline", "openai", or "auto" (openai when OPENAI_API_KEY
    or OPENAI_BASE_URL is set). A base URL alone gets a dummy key, as local servers need none.
    With `redact`, every prompt passes the redaction guard once more before it is sent."""
    base_url = os.environ.get("OPENAI_BASE_URL") or None
    api_key = os.environ.get("OPENAI_API_KEY") or None
    backend = params.llm
    if backend == "auto":
        backend = "openai" if base_url or api_key else "offline"
    if backend == "offline":
        return LLM(params, run_dir, redact=redact, progress=progress)
    if not (base_url or api_key):
        raise VocError(
            'llm = "openai" needs OPENAI_API_KEY (or OPENAI_BASE_URL for a compatible local '
            'server). Set one of them, or use llm = "offline".'
        )
    key = api_key or "not-needed"
    return LLM(params, run_dir, redact=redact, api_key=key, base_url=base_url, progress=progress)


def estimate(tasks: list[tuple[str, dict[str, Any]]], params: LLMParams) -> dict[str, Any]:
    """What running `tasks` would cost at most, without making any call (tokens ≈ chars/4;
    every answer assumed to use its full allowance; cached answers would cost nothing)."""
    prompt_tokens = completion_tokens = 0
    for task, data in tasks:
        text = json.dumps(render(task, data, params.prompts_dir), ensure_ascii=False)
        schema = TASK_SCHEMAS.get(task)
        if schema is not None:
            text += json.dumps(schema.model_json_schema())
        prompt_tokens += approx_tokens(text)
        completion_tokens += max_completion_tokens(task)
    known = price(params.llm_model) is not None
    return {
        "calls": len(tasks),
        "prompt_tokens": prompt_tokens,
        "max_completion_tokens": completion_tokens,
        "est_cost_usd": round(cost(params.llm_model, prompt_tokens, completion_tokens), 6),
        "model": params.llm_model,
        "note": "upper bound" if known else f"no price known for '{params.llm_model}'; cost 0",
    }
