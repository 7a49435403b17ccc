"""Token and cost arithmetic: a small price table, the chars/4 token rule and per-task answer
allowances, so usage and budgets can be counted before and after a call."""

from __future__ import annotations

import math

# USD per million tokens (input, output), public list prices. Matched by longest prefix, so
# dated snapshots ("gpt-4o-mini-2024-07-18") find their family. Local servers are unknown → 0.
PRICES: dict[str, tuple[float, float]] = {
    "gpt-4o-mini": (0.15, 0.60),
    "gpt-4o": (2.50, 10.00),
    "gpt-4.1-nano": (0.10, 0.40),
    "gpt-4.1-mini": (0.40, 1.60),
    "gpt-4.1": (2.00, 8.00),
    "gpt-5-nano": (0.05, 0.40),
    "gpt-5-mini": (0.25, 2.00),
    "gpt-5": (1.25, 10.00),
    "o4-mini": (1.10, 4.40),
    "o3-mini": (1.10, 4.40),
    "o3": (2.00, 8.00),
    "gpt-4-turbo": (10.00, 30.00),
    "gpt-3.5-turbo": (0.50, 1.50),
}

# The most completion tokens an answer of each task should need; used for estimates and budgets.
COMPLETION_TOKENS: dict[str, int] = {
    "theme_label": 400,
    "segment_profile": 1500,
    "criteria_judgement": 600,
}
DEFAULT_COMPLETION_TOKENS = 1000


def price(model: str) -> tuple[float, float] | None:
    """(input, output) USD per million tokens for a model, or None when it is not in the table."""
    name = model.rsplit("/", 1)[-1].lower()  # "openai/gpt-4o-mini" on routers
    matches = [prefix for prefix in PRICES if name.startswith(prefix)]
    return PRICES[max(matches, key=len)] if matches else None


def cost(model: str, prompt_tokens: int, completion_tokens: int) -> float:
    """Estimated USD for a call; 0 for a model whose price is unknown."""
    rates = price(model)
    if rates is None:
        return 0.0
    return (prompt_tokens * rates[0] + completion_tokens * rates[1]) / 1_000_000


def approx_tokens(text: str) -> int:
    """A rough token count (four characters a token), good enough for budgets and estimates."""
    return math.ceil(len(text) / 4)


def max_completion_tokens(task: str) -> int:
    """The answer allowance of a task."""
    return COMPLETION_TOKENS.get(task, DEFAULT_COMPLETION_TOKENS)
