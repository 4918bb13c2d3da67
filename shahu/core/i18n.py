"""Every user-facing string, in Chinese and English, from one catalogue: the union of
`locales/*.toml`, one file per part of the product; a key defined twice is an error at import."""

from __future__ import annotations

import tomllib
from pathlib import Path

LANGS = ("zh", "en")
DEFAULT_LANG = "zh"
LOCALES_DIR = Path(__file__).resolve().parent / "locales"


class MissingTranslation(KeyError):
    """A key that the catalogue lacks, or lacks in one language."""


def _load_catalogue() -> dict[str, dict[str, str]]:
    catalogue: dict[str, dict[str, str]] = {}
    for path in sorted(LOCALES_DIR.glob("*.toml")):
        with path.open("rb") as f:
            entries = tomllib.load(f)
        for key, value in entries.items():
            if key in catalogue:
                raise ValueError(f"i18n key {key!r} is defined twice (again in {path.name})")
            if not isinstance(value, dict) or set(value) != set(LANGS):
                raise ValueError(f"i18n key {key!r} in {path.name} needs exactly zh and en")
            catalogue[key] = value
    return catalogue


CATALOGUE = _load_catalogue()


def normalize_lang(lang: str | None) -> str:
    """`zh` or `en` from whatever the URL or session holds; anything else falls back to zh."""
    lang = (lang or "").strip().lower()[:2]
    return lang if lang in LANGS else DEFAULT_LANG


def t(key: str, lang: str, /, **params: object) -> str:
    """The text for `key` in `lang`, with `{name}` placeholders filled from `params`. A count `n`
    of 1 picks `key.one` where the catalogue has it, so English never needs "problem(s)"."""
    if params.get("n") == 1 and f"{key}.one" in CATALOGUE:
        key = f"{key}.one"
    try:
        text = CATALOGUE[key][normalize_lang(lang)]
    except KeyError:
        raise MissingTranslation(key) from None
    return text.format(**params) if params else text


def tn(key: str, lang: str, n: int, /, **params: object) -> str:
    """`t` for a count: `key.one` when `n` is 1 and the catalogue has it (1 project / 2 projects)."""
    return t(key, lang, n=n, **params)
