"""Small lookups every page needs in the visitor's language: columns, names by id, provenance."""

from __future__ import annotations

import pandas as pd

from shahu.core.formatting import is_missing
from shahu.core.i18n import t


def lang_col(base: str, lang: str) -> str:
    """The column holding `base` in `lang`: `name` → `name_en` or `name_zh`."""
    return f"{base}_{'en' if lang == 'en' else 'zh'}"


def names_by_id(frame: pd.DataFrame, key: str, lang: str) -> dict[str, str]:
    """`{id: name in lang}` for a table keyed by `key` (buildings, institutions …)."""
    return dict(zip(frame[key], frame[lang_col("name", lang)], strict=True))


def provenance_label(provenance: str, lang: str) -> str:
    """已报道 / reported, 估算 / estimated, 示例 / sample."""
    return t(f"provenance.{provenance}", lang)


def localized(row, column: str, lang: str) -> str:
    """`column_en` in English when the row has it filled, else `column` (the Chinese text):
    `source` → `Changjiang Daily, 2025-09` / `长江日报 2025-09`; also `company`, `provider`."""
    if lang == "en":
        english = row.get(f"{column}_en")
        if isinstance(english, str) and english.strip():
            return english
    value = row.get(column)
    return "" if is_missing(value) else str(value)


def tagged(name: object, provenance: str, lang: str) -> str:
    """A name with its provenance tag unless reported: `招行 (估算)`; once only, so a sample
    row's name that already begins “示例：” / “Sample:” is not tagged again."""
    word = provenance_label(provenance, lang)
    text = str(name)
    return text if provenance == "reported" or text.startswith(word) else f"{text} ({word})"
