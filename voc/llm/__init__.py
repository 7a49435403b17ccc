"""The LLM layer: one narrow interface (`LLM.ask`) over an OpenAI-compatible backend or the
stages' offline answers, with caching, retries, grounding, budgets and a privacy log."""

from voc.llm.core import LLM, Ask, estimate, make_llm
from voc.llm.meter import BudgetExceeded

__all__ = ["LLM", "Ask", "BudgetExceeded", "estimate", "make_llm"]
