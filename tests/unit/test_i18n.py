"""One catalogue, two languages, no key used in the code that the catalogue lacks."""

from __future__ import annotations

import re
import string

import pytest

from shahu.content.tour import STEPS
from shahu.core import i18n
from shahu.core.i18n import CATALOGUE, LANGS, MissingTranslation, t
from shahu.core.paths import ROOT
from shahu.data.geo import LAYERS
from shahu.data.schemas import (
    INSTITUTION_CATEGORIES,
    METRIC_QUALIFIERS,
    PRODUCT_KINDS,
    PROJECT_STATUSES,
    PROVENANCES,
    SECTORS,
    TABLES,
)
from shahu.data.validation import BUILTIN_CODES, check_code
from shahu.map.basemaps import BASEMAPS

KEY = r"[a-z0-9_]+(?:\.[a-z0-9_]+)+"
# t("key", …) / t('key', …), also split over lines
LITERAL = re.compile(rf"""\bt\(\s*["']({KEY})["']\s*[,)]""")
# t(f"prefix.{x}.suffix", …) and t("prefix." + x, …)
F_STRING = re.compile(
    r"""\bt\(\s*f["']([a-z0-9_.]*)\{[^}"']*(?:["'][^"']*["'][^}"']*)?\}([a-z0-9_.]*)["']"""
)
CONCAT = re.compile(r"""\bt\(\s*["']([a-z0-9_.]+\.)["']\s*\+""")

# Every family of keys built at run time, and the values that can fill it in.
FAMILIES: dict[tuple[str, str], tuple[str, ...]] = {
    ("sector.", ""): SECTORS,
    ("sectors.", ".covers"): SECTORS,
    ("status.", ""): PROJECT_STATUSES,
    ("provenance.", ""): PROVENANCES,
    ("category.", ""): INSTITUTION_CATEGORIES,
    ("kind.", ""): PRODUCT_KINDS,
    ("lang.", ""): LANGS,
    ("map.basemap.", ""): BASEMAPS,
    ("map.layer.", ""): tuple(LAYERS),
    ("fmt.qualifier.", ""): tuple(q or "none" for q in METRIC_QUALIFIERS),
    ("fmt.unit.", ""): ("projects", "firms", "members", "institutions"),
    ("tour.", ".title"): tuple(step.key for step in STEPS),
    ("tour.", ".script"): tuple(step.key for step in STEPS),
    ("staff.table.", ""): tuple(TABLES),
    ("staff.col.", ""): ("change", "key", "column", "before", "after"),
    ("staff.action.", ""): ("import", "restore", "unknown"),
    ("staff.outcome.", ""): (
        "written",
        "restored",
        "unchanged",
        "invalid",
        "confirm",
        "stale",
        "busy",
        "failed",
        "failed_readonly",
        "failed_permission",
        "failed_other",
        "missing",
    ),
    ("app.data_problems", ""): ("_no_copy",),
    ("staff.disk_problems", ""): ("_no_copy",),
    ("problem.", ""): (),  # checked by test_every_problem_code_is_translated
}


def sources() -> dict[str, str]:
    files = [ROOT / "app.py", *(ROOT / "pages").glob("*.py"), *(ROOT / "shahu").rglob("*.py")]
    return {str(p.relative_to(ROOT)): p.read_text(encoding="utf-8") for p in files}


def test_every_entry_has_both_languages_and_is_not_blank():
    for key, entry in CATALOGUE.items():
        assert set(entry) == set(LANGS), key
        assert all(entry[lang].strip() for lang in LANGS), key


def test_placeholders_match_between_languages():
    def fields(text: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}

    mismatched = {
        key: (fields(entry["zh"]), fields(entry["en"]))
        for key, entry in CATALOGUE.items()
        if fields(entry["zh"]) != fields(entry["en"])
    }
    assert mismatched == {}


def test_every_literal_key_in_the_code_exists():
    used = {(name, key) for name, text in sources().items() for key in LITERAL.findall(text)}
    assert len(used) > 100  # the scan really sees the code
    assert sorted((name, key) for name, key in used if key not in CATALOGUE) == []


def test_every_dynamic_key_family_is_known_and_translated():
    families = set()
    for text in sources().values():
        families |= set(F_STRING.findall(text))
        families |= {(prefix, "") for prefix in CONCAT.findall(text)}
    assert ("sector.", "") in families
    assert sorted(families - set(FAMILIES)) == [], "add the new family and its values to FAMILIES"
    missing = [
        prefix + value + suffix
        for prefix, suffix in families
        for value in FAMILIES[prefix, suffix]
        if prefix + value + suffix not in CATALOGUE
    ]
    assert missing == []


def check_names() -> set[str]:
    """The name of every check in every table's model."""
    names: set[str] = set()
    for spec in TABLES.values():
        schema = spec.model.to_schema()
        names |= {c.name for c in schema.checks}
        names |= {c.name for column in schema.columns.values() for c in column.checks}
    return {n for n in names if n not in BUILTIN_CODES}


def test_every_check_reports_its_own_problem():
    """A new check (say a range) must be named after a problem code, never borrow another's."""
    assert sorted(n for n in check_names() if f"problem.{n}" not in CATALOGUE) == []
    assert {"out_of_wuhan", "bad_date", "required"} <= check_names()
    assert check_code("in_range(0, 5)") == "invalid"  # not `out_of_wuhan`, as it once was


def test_every_problem_code_is_translated():
    text = "\n".join(
        path.read_text(encoding="utf-8")
        for path in [*(ROOT / "shahu" / "data").glob("*.py"), ROOT / "shahu" / "ops" / "cli.py"]
    )
    codes = set(re.findall(r"""Problem\(\s*[^()]*?["']([a-z_0-9]+)["']""", text))
    codes |= set(re.findall(r"""return (?:None, )?["']([a-z_0-9]+)["']""", text))
    codes |= set(BUILTIN_CODES.values()) | set(check_names()) | {"invalid"}
    assert {"duplicate_key", "percent", "geo_missing", "xlsx_renamed", "malformed_csv"} <= codes
    assert sorted(c for c in codes if f"problem.{c}" not in CATALOGUE) == []


def test_placeholders_are_filled():
    for lang in LANGS:
        assert "3" in t("cli.invalid", lang, n=3) and "{" not in t("cli.invalid", lang, n=3)
        assert "a, b" in t("problem.not_one_of", lang, allowed="a, b")


def test_unknown_language_falls_back_to_chinese():
    assert t("app.title", "fr") == t("app.title", "zh") == CATALOGUE["app.title"]["zh"]
    assert t("app.title", "EN-us") == CATALOGUE["app.title"]["en"]


def test_missing_key_raises():
    with pytest.raises(MissingTranslation):
        t("no.such.key", "zh")


def test_catalogue_refuses_duplicates_and_half_entries(tmp_path, monkeypatch):
    monkeypatch.setattr(i18n, "LOCALES_DIR", tmp_path)
    (tmp_path / "a.toml").write_text('"x.y" = { zh = "甲", en = "A" }\n', encoding="utf-8")
    (tmp_path / "b.toml").write_text('"x.y" = { zh = "乙", en = "B" }\n', encoding="utf-8")
    with pytest.raises(ValueError, match="defined twice"):
        i18n._load_catalogue()
    (tmp_path / "b.toml").write_text('"x.z" = { zh = "乙" }\n', encoding="utf-8")
    with pytest.raises(ValueError, match="zh and en"):
        i18n._load_catalogue()


def test_no_english_string_hedges_a_plural_with_s_in_brackets():
    hedged = {key: entry["en"] for key, entry in CATALOGUE.items() if "(s)" in entry["en"]}
    assert hedged == {}


@pytest.mark.parametrize(
    ("key", "one", "three"),
    [
        ("cli.invalid", "1 problem found;", "3 problems found;"),
        ("staff.problems", "1 problem found:", "3 problems found:"),
        ("app.data_problems", "1 problem in the data files", "3 problems in the data files"),
        ("staff.dropped_columns", "1 column the table", "3 columns the table"),
    ],
)
def test_counts_read_as_proper_english(key, one, three):
    assert one in t(key, "en", n=1)
    assert three in t(key, "en", n=3)
    assert t(key, "zh", n=1) == t(key, "zh", n=3).replace("3", "1")
