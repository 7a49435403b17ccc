"""Statistics more than one stage relies on."""

from __future__ import annotations

import numpy as np
import pandas as pd


def holm(p: pd.Series) -> pd.Series:
    """Holm-adjusted p-values (monotone, capped at 1): a test is significant at level α after
    correcting for all of them when its adjusted value is at most α."""
    order = p.sort_values()
    m = len(order)
    adjusted = np.maximum.accumulate([(m - i) * v for i, v in enumerate(order)])
    return pd.Series(np.minimum(adjusted, 1.0), index=order.index).reindex(p.index)
