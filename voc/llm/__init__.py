"""The LLM layer: one narrow interface (`core.LLM.ask`) over an OpenAI-compatible backend or
the stages' offline answers, with caching, retries, grounding, budgets and a privacy log."""
