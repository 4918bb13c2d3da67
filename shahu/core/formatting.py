"""Numbers as each audience reads them: 67亿元 in Chinese, CNY 6.7 bn in English. An undisclosed
amount (NaN) reads 未披露 / undisclosed, never 0; a bad value is shown as written (or —), never
raised, so the rest of the page still renders."""

from __future__ import annotations

import datetime as dt
import math
import re

from shahu.core.i18n import CATALOGUE, t

NOT_A_NUMBER = "—"
DATE_PATTERN = r"^\d{4}(-\d{2}(-\d{2})?)?$"
_DATE = re.compile(DATE_PATTERN)


def real_date(text: object) -> bool:
    """`2025`, `2025-09` or `2025-09-23` naming a day, month or year that exists."""
    if not isinstance(text, str) or not _DATE.match(text):
        return False
    parts = [int(p) for p in text.split("-")]
    try:
        dt.date(parts[0], *(parts[1:] + [1, 1])[:2])
    except ValueError:
        return False
    return parts[0] >= 1900


def _finite(value: object) -> float | None:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _trim(value: float, digits: int = 2) -> str:
    if (number := _finite(value)) is None:
        return NOT_A_NUMBER
    text = f"{number:,.{digits}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def is_missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def cny_100m(value: float | None, lang: str) -> str:
    """An amount in 亿元: `67亿元` / `CNY 6.7 bn` (English always in billions, so a page never
    mixes `CNY 500 m` with `CNY 6.7 bn`); missing → 未披露 / undisclosed."""
    if is_missing(value):
        return t("fmt.undisclosed", lang)
    if (value := _finite(value)) is None:
        return NOT_A_NUMBER
    if lang == "zh":
        return f"{_trim(value).replace(',', '')}亿元"
    return f"CNY {_trim(value / 10, 2 if value >= 10 else 3)} bn"  # one unit on every page


def count(value: float, lang: str) -> str:
    if (number := _finite(value)) is None:
        return NOT_A_NUMBER
    return f"{int(round(number)):,}" if lang == "en" else f"{int(round(number))}"


def people_10k(value: float, lang: str) -> str:
    """A headcount in 万: `190万` / `1.9 million`."""
    if (value := _finite(value)) is None:
        return NOT_A_NUMBER
    if lang == "zh":
        return f"{_trim(value)}万"
    people = value * 10_000
    if people >= 1_000_000:
        return f"{_trim(people / 1_000_000)} million"
    return f"{int(people):,}"


def metric_value(value: float, unit: str, qualifier: str, lang: str) -> str:
    """A headline figure with its unit and qualifier (超 / more than, 约 / about, 级 / scale)."""
    if unit == "cny_100m":
        body = cny_100m(value, lang)
    elif unit == "people_10k":
        body = people_10k(value, lang)
    elif unit == "km2":
        body = f"{_trim(value)} km²"
    elif unit == "cny_per_kg":
        body = t("fmt.cny_per_kg", lang, value=_trim(value))
    elif unit == "cny_per_t":
        body = t("fmt.cny_per_t", lang, value=_trim(value))
    elif unit == "t_100m":
        body = t("fmt.t_100m", lang, value=_trim(value if lang == "zh" else value * 100))
    elif unit in {"projects", "firms", "members", "institutions"}:
        body = t(f"fmt.unit.{unit}", lang, n=count(value, lang))
    else:
        body = f"{_trim(value)} {unit}".strip()
    big = (_finite(value) or 0) >= 1000
    if qualifier == "order_of" and unit == "cny_100m" and lang == "zh" and big:
        return t("fmt.order_of_100bn", lang)
    if f"fmt.qualifier.{qualifier}" not in CATALOGUE:
        qualifier = "none"
    return t(f"fmt.qualifier.{qualifier or 'none'}", lang, value=body)


def date_label(text: str, lang: str) -> str:
    """`2025-09-23` → 2025年9月23日 / 23 Sep 2025; partial dates (2025-03) stay partial, and
    what is not a calendar date (`2025-13`, `2025-09-31`) is shown as written."""
    if not isinstance(text, str) or not text.strip():
        return t("fmt.undisclosed", lang)
    if not real_date(text):
        return text
    parts = text.split("-")
    months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    if lang == "zh":
        units = ["年", "月", "日"]
        return "".join(f"{int(p)}{u}" for p, u in zip(parts, units, strict=False))
    year = parts[0]
    if len(parts) == 1:
        return year
    month = months[int(parts[1]) - 1]
    return f"{month} {year}" if len(parts) == 2 else f"{int(parts[2])} {month} {year}"


def long_date(text: str, lang: str) -> str:
    """`date_label` with the English month in full (23 September 2025), for a line of prose."""
    short = date_label(text, lang)
    if lang == "zh" or not real_date(text) or len(text.split("-")) == 1:
        return short
    words = short.split(" ")
    words[-2] = _MONTHS[int(text.split("-")[1]) - 1]
    return " ".join(words)


_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
