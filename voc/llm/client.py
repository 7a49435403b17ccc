"""The HTTP side: one chat-completions request through the openai client, with our own retries
(exponential back-off with jitter, honouring Retry-After) so they are visible and testable."""

from __future__ import annotations

import os
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any

import openai

RETRY_STATUS = {408, 409, 429}


class TransportError(Exception):
    """No answer came back. `fatal` means later calls would fail the same way (bad key, unknown
    model, server gone), so the session should stop calling."""

    def __init__(self, message: str, *, fatal: bool = False) -> None:
        super().__init__(message)
        self.fatal = fatal


class SchemaRefused(TransportError):
    """The server does not accept response_format json_schema; retry with json_object."""


@dataclass(frozen=True)
class Completion:
    """What a call returned: the text and the token counts the server reported, if any."""

    text: str
    prompt_tokens: int | None
    completion_tokens: int | None


def _env_float(name: str, default: float) -> float:
    try:
        return float(os.environ.get(name, default))
    except ValueError:
        return default


@dataclass(frozen=True)
class RetryPolicy:
    """How long to wait between attempts. VOC_LLM_BACKOFF_BASE, VOC_LLM_MAX_WAIT and
    VOC_LLM_TIMEOUT (seconds) tune it; tests make them tiny."""

    base: float = 1.0
    max_delay: float = 30.0
    max_wait: float = 120.0
    attempts: int = 6
    timeout: float = 120.0

    @classmethod
    def from_env(cls) -> RetryPolicy:
        return cls(
            base=_env_float("VOC_LLM_BACKOFF_BASE", cls.base),
            max_wait=_env_float("VOC_LLM_MAX_WAIT", cls.max_wait),
            timeout=_env_float("VOC_LLM_TIMEOUT", cls.timeout),
        )

    def backoff(self, attempt: int) -> float:
        """Exponential delay for the n-th retry (0-based) plus up to one base of jitter."""
        return min(self.max_delay, self.base * 2**attempt) + random.uniform(0, self.base)


def retry_after(headers: Any) -> float | None:
    """Seconds the server asked us to wait (retry-after-ms, or Retry-After as seconds or date)."""
    if headers is None:
        return None
    millis = headers.get("retry-after-ms")
    value = headers.get("retry-after")
    try:
        if millis is not None:
            return max(0.0, float(millis) / 1000)
        if value is not None:
            return max(0.0, float(value))
    except ValueError:
        pass
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time()) if value else None
    except (TypeError, ValueError):
        return None


def _mentions_response_format(err: openai.APIStatusError) -> bool:
    text = f"{err.message} {err.body}".lower()
    return "response_format" in text or "json_schema" in text


class OpenAITransport:
    """Chat completions against OpenAI or any compatible server, retried by `policy`."""

    def __init__(
        self,
        *,
        model: str,
        temperature: float,
        base_url: str | None,
        api_key: str,
        policy: RetryPolicy,
        on_retry: Callable[[str, float], None] = lambda reason, delay: None,
    ) -> None:
        self.model = model
        self.temperature: float | None = temperature  # None: the model takes only its default
        self.token_limit = "max_tokens"  # reasoning models want max_completion_tokens instead
        self.policy = policy
        self.on_retry = on_retry
        self.client = openai.OpenAI(
            api_key=api_key, base_url=base_url, max_retries=0, timeout=policy.timeout
        )

    def chat(
        self, messages: list[dict[str, str]], response_format: dict[str, Any], max_tokens: int
    ) -> Completion:
        """One answer of at most `max_tokens`, retrying rate limits, server errors, timeouts and
        lost connections."""
        waited, reason = 0.0, "no attempt made"
        for attempt in range(self.policy.attempts):
            try:
                return self._once(messages, response_format, max_tokens)
            except openai.APIStatusError as err:
                if self._temperature_refused(err):
                    self.temperature = None
                    continue
                if (
                    err.status_code == 400
                    and self.token_limit == "max_tokens"
                    and ("max_tokens" in f"{err.message} {err.body}")
                ):
                    self.token_limit = "max_completion_tokens"
                    continue
                if response_format.get("type") == "json_schema" and (
                    err.status_code in (400, 422) or _mentions_response_format(err)
                ):
                    raise SchemaRefused(f"HTTP {err.status_code}: {err.message}") from None
                if err.status_code not in RETRY_STATUS and err.status_code < 500:
                    fatal = err.status_code in (401, 403, 404)
                    message = f"HTTP {err.status_code}: {err.message}"
                    raise TransportError(message, fatal=fatal) from None
                reason, asked = f"HTTP {err.status_code}", retry_after(err.response.headers)
            except openai.APITimeoutError:
                reason, asked = f"timed out after {self.policy.timeout:g}s", None
            except openai.APIConnectionError as err:
                reason, asked = f"connection failed ({err.__cause__ or err})", None
            except openai.APIError as err:  # e.g. a reply that is not a chat completion
                raise TransportError(f"unusable reply: {err}") from None
            delay = asked if asked is not None else self.policy.backoff(attempt)
            last = attempt == self.policy.attempts - 1
            if last or waited + delay > self.policy.max_wait:
                break
            self.on_retry(reason, delay)
            time.sleep(delay)
            waited += delay
        message = f"gave up after {attempt + 1} attempts and {waited:.1f}s of waiting: {reason}"
        raise TransportError(message, fatal=True)

    def _temperature_refused(self, err: openai.APIStatusError) -> bool:
        """Reasoning models reject any temperature but their default; then we send none."""
        text = f"{err.message} {err.body}".lower()
        return err.status_code == 400 and self.temperature is not None and "temperature" in text

    def _once(
        self, messages: list[dict[str, str]], response_format: dict[str, Any], max_tokens: int
    ) -> Completion:
        response = self.client.chat.completions.create(  # type: ignore[call-overload]
            model=self.model,
            messages=messages,
            temperature=openai.omit if self.temperature is None else self.temperature,
            response_format=response_format,
            **{self.token_limit: max_tokens},
        )
        choice = response.choices[0] if response.choices else None
        text = (choice.message.content if choice else None) or ""
        usage = response.usage
        return Completion(
            text=text,
            prompt_tokens=usage.prompt_tokens if usage else None,
            completion_tokens=usage.completion_tokens if usage else None,
        )
