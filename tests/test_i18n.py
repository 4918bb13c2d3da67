"""One catalogue, two languages, no key used in the code that the catalogue lacks."""

from __future__ import annotations

import re

import pytest

from shahu.i18n import CATALOGUE, LANGS, MissingTranslation, t
from shahu.paths import ROOT
from shahu.schemas import (
    INSTITUTION_CATEGORIES,
    PRODUCT_KINDS,
    PROJECT_STATUSES,
    PROVENANCES,
    SECTORS,
)
from shahu.validation import _CHECK_CODES

KEY_LITERAL = re.compile(r"""\bt\(\s*["']([a-z0-9_.]*[a-z0-9_])["']\s*[,)]""")


def source_files():
    yield ROOT / "app.py"
    yield from (ROOT / "pages").glob("*.py")
    yield from (ROOT / "shahu").glob("*.py")


def test_every_entry_has_both_languages_and_is_not_blank():
    for key, entry in CATALOGUE.items():
        assert set(entry) == set(LANGS), key
        assert all(entry[lang].strip() for lang in LANGS), key


def test_every_literal_key_in_the_code_exists():
    missing = {
        (path.name, key)
        for path in source_files()
        for key in KEY_LITERAL.findall(path.read_text(encoding="utf-8"))
        if key not in CATALOGUE
    }
    assert missing == set()


@pytest.mark.parametrize(
    ("prefix", "values"),
    [("sector.", SECTORS), ("status.", PROJECT_STATUSES), ("provenance.", PROVENANCES),
     ("category.", INSTITUTION_CATEGORIES), ("kind.", PRODUCT_KINDS)],
)  # fmt: skip
def test_every_vocabulary_value_is_translated(prefix, values):
    assert [v for v in values if prefix + v not in CATALOGUE] == []


def test_every_problem_code_is_translated():
    sources = "\n".join(
        (ROOT / "shahu" / name).read_text(encoding="utf-8")
        for name in ("validation.py", "geo.py", "data.py")
    )
    codes = set(re.findall(r"""Problem\([^()]*?["']([a-z_0-9]+)["']""", sources))
    codes |= set(re.findall(r"""return (?:None, )?["']([a-z_0-9]+)["']""", sources))
    codes |= {code for _, code in _CHECK_CODES} | {"invalid"}
    assert {"duplicate_key", "percent", "geo_missing", "xlsx_renamed"} <= codes
    assert sorted(c for c in codes if f"problem.{c}" not in CATALOGUE) == []


def test_missing_key_raises():
    with pytest.raises(MissingTranslation):
        t("no.such.key", "zh")
