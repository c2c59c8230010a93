"""Tables for ``st.dataframe`` that show every number.

Streamlit's table shows a number beyond ±2⁵³ (about 9.0e15) as an error cell, its digits greyed: a
diverging run's loss (-1.8e19 on the saddle lesson) or gradient would be unreadable. A column that
holds such a number is sent as text in its own printf format instead; the others stay numbers (so they
sort as numbers) formatted in the browser.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import pandas as pd
import streamlit as st

SAFE = 2.0**53  # beyond this, Streamlit's table shows an error instead of the number


def _too_large(v: Any) -> bool:
    return isinstance(v, (int, float)) and math.isfinite(v) and abs(v) > SAFE


def _missing(v: Any) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


def number_columns(df: pd.DataFrame, formats: Mapping[str, str]) -> tuple[pd.DataFrame, dict[str, Any]]:
    """``(df, column_config)`` for ``st.dataframe``: each column in ``formats`` (printf, e.g. ``"%.4g"``)
    as a ``NumberColumn`` with that format, or, if it holds a finite number beyond ±2⁵³, as text formatted
    the same way, right-aligned. NaN and None stay missing (empty) cells. ``df`` is not changed."""
    out = df.copy()
    config: dict[str, Any] = {}
    for col, fmt in formats.items():
        values = out[col].tolist()
        # Sized to its widest number: the table sized a column by its header and drew a longer number
        # right-aligned, clipped on the left (a minus sign and leading digits were lost).
        texts = [fmt % v if isinstance(v, (int, float)) else str(v) for v in values if not _missing(v)]
        width = column_width([str(col), *texts])
        if any(_too_large(v) for v in values):
            out[col] = [None if _missing(v) else fmt % v if isinstance(v, (int, float)) else v for v in values]
            config[col] = st.column_config.TextColumn(alignment="right", width=width)
        else:
            config[col] = st.column_config.NumberColumn(format=fmt, width=width)
    return out, config


def column_width(texts: list[str]) -> int:
    """Pixels for a table column whose widest cell or header is the longest of ``texts`` (about 8 px a
    character of the table's 14 px font, and the cell's padding)."""
    return 8 * max((len(t) for t in texts), default=4) + 24
