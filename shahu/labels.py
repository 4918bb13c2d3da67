"""Small lookups every page needs in the visitor's language: columns, names by id, provenance."""

from __future__ import annotations

import pandas as pd

from shahu.i18n import t


def lang_col(base: str, lang: str) -> str:
    """The column holding `base` in `lang`: `name` → `name_en` or `name_zh`."""
    return f"{base}_{'en' if lang == 'en' else 'zh'}"


def names_by_id(frame: pd.DataFrame, key: str, lang: str) -> dict[str, str]:
    """`{id: name in lang}` for a table keyed by `key` (buildings, institutions …)."""
    return dict(zip(frame[key], frame[lang_col("name", lang)], strict=True))


def provenance_label(provenance: str, lang: str) -> str:
    """已报道 / reported, 估算 / estimated, 示例 / sample."""
    return t(f"provenance.{provenance}", lang)
