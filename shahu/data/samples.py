"""Sample rows (`provenance=illustrative`) and the visitor's “show sample rows” switch. Samples
show staff what to fill in but are not data: a visitor sees none unless switched on (`?samples=1`),
and then every place using them says so. The staff data page always has the whole dataset."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

import pandas as pd

from shahu.core.i18n import t
from shahu.data.dataset import Dataset

ILLUSTRATIVE = "illustrative"
PARAM = "samples"
_PROVENANCE = "provenance"


def from_params(params: Mapping[str, str]) -> bool:
    """On only for `?samples=1` (anything else, or nothing, is off)."""
    return params.get(PARAM) == "1"


def to_params(samples: bool) -> dict[str, str]:
    return {PARAM: "1"} if samples else {}


def is_sample(frame: pd.DataFrame) -> pd.Series:
    """True for each sample row (a table without provenance has none)."""
    if _PROVENANCE not in frame:
        return pd.Series(False, index=frame.index)
    return frame[_PROVENANCE] == ILLUSTRATIVE


def uses_samples(frame: pd.DataFrame) -> bool:
    """True when any row of `frame` is a sample: whatever is drawn from it must say so."""
    return bool(is_sample(frame).any())


def without_samples(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[~is_sample(frame)]


def visible(ds: Dataset, samples: bool) -> Dataset:
    """The dataset a visitor sees: every table without its sample rows unless `samples` is on;
    its stamp says which, so caches keyed on it never hand one view's figures to the other."""
    if samples:
        return replace(ds, stamp=f"{ds.stamp}+{PARAM}")
    tables = {name: without_samples(frame) for name, frame in ds.tables.items()}
    return replace(ds, tables=tables, stamp=f"{ds.stamp}-{PARAM}")


def remaining(ds: Dataset) -> dict[str, int]:
    """Sample rows left in each table (tables with none are left out), for the staff page."""
    counts = {name: int(is_sample(frame).sum()) for name, frame in ds.tables.items()}
    return {name: n for name, n in counts.items() if n}


def remaining_text(ds: Dataset, lang: str) -> str:
    """“示例行仍有 23 行待替换（签约项目 18 · 机构 5）…”, or that none remain."""
    counts = remaining(ds)
    if not counts:
        return t("truth.staff_no_samples", lang)
    tables = " · ".join(f"{t(f'staff.table.{name}', lang)} {n}" for name, n in counts.items())
    return t("truth.staff_samples", lang, n=sum(counts.values()), tables=tables)
