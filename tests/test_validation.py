"""The data contract: shipped data passes; each kind of mistake gets its own clear message."""

from __future__ import annotations

import pytest

from shahu.data import load_tables
from shahu.i18n import LANGS
from shahu.paths import DEFAULT_DATA_DIR
from shahu.schemas import TABLES
from shahu.validation import decode, parse_number, read_csv_bytes

PROJECTS = TABLES["projects"]
SHIPPED = (DEFAULT_DATA_DIR / "projects.csv").read_text(encoding="utf-8")


def edited(old: str, new: str, text: str = SHIPPED) -> bytes:
    assert old in text, old
    return text.replace(old, new, 1).encode("utf-8")


def codes(raw: bytes, spec=PROJECTS) -> list[tuple[str, int | None, str | None]]:
    frame, problems = read_csv_bytes(spec, raw)
    assert (frame is None) == bool(problems)
    return [(p.code, p.line, p.column) for p in problems]


def test_shipped_data_is_valid():
    tables, problems, stale = load_tables(DEFAULT_DATA_DIR)
    assert problems == [] and stale == ()
    assert len(tables["projects"]) == 23
    assert set(tables) == set(TABLES)


def test_duplicate_key_names_both_lines():
    assert codes(edited("\np02,", "\np01,")) == [
        ("duplicate_key", 2, "project_id"),
        ("duplicate_key", 3, "project_id"),
    ]


def test_unknown_sector():
    assert codes(edited("p01,“双碳科技+金融”服务平台,“Dual-carbon tech + finance” service platform,carbon_tech",
                        "p01,“双碳科技+金融”服务平台,“Dual-carbon tech + finance” service platform,carbon_magic")) == [
        ("not_one_of", 2, "sector")
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("cell", "code"),
    [("12%", "percent"), ("#N/A", "excel_error"), ("-3", "negative"), ("abc", "not_a_number"),
     ("1,23", "ambiguous_number")],
)  # fmt: skip
def test_bad_amounts(cell, code):
    raw = edited(",5.0,2025-09-23,tanhui", f',"{cell}",2025-09-23,tanhui')
    assert codes(raw) == [(code, 7, "amount_cny_100m")]


@pytest.mark.parametrize(("cell", "value"), [("1,234", 1234.0), ("５．０", 5.0), (" 7 ", 7.0)])
def test_excel_style_numbers_are_accepted(cell, value):
    raw = edited(",5.0,2025-09-23,tanhui", f',"{cell}",2025-09-23,tanhui')
    frame, problems = read_csv_bytes(PROJECTS, raw)
    assert problems == []
    assert frame.loc[7, "amount_cny_100m"] == value


def test_swapped_and_outside_wuhan():
    raw = edited(",2025-09-23,,30.5702,114.3461,", ",2025-09-23,,114.3461,30.5702,")
    assert codes(raw) == [("swapped_lat_lon", 15, "lat"), ("swapped_lat_lon", 15, "lon")]
    raw = edited(",2025-09-23,,30.5702,114.3461,", ",2025-09-23,,39.9,116.4,")
    assert codes(raw) == [("out_of_wuhan", 15, "lat"), ("out_of_wuhan", 15, "lon")]


def test_missing_and_duplicated_columns():
    header = SHIPPED.splitlines()[0]
    assert codes(edited(header, header.replace(",status", ",state"))) == [
        ("missing_column", 1, "status")
    ]
    assert codes(edited(header, header + ",sector")) == [("duplicate_column", 1, "sector")]


def test_empty_and_header_only():
    assert codes(b"") == [("empty", None, None)]
    assert codes(SHIPPED.splitlines()[0].encode() + b"\n") == [("header_only", None, None)]


def test_encodings_decode_like_excel_saves_them():
    text = SHIPPED
    for raw in (
        text.encode("utf-8"),
        b"\xef\xbb\xbf" + text.encode("utf-8"),
        text.encode("gb18030"),
    ):
        assert decode(raw) == text
    frame, problems = read_csv_bytes(PROJECTS, text.encode("gbk", errors="strict"))
    assert problems == [] and frame.iloc[0]["name_zh"] == "“双碳科技+金融”服务平台"


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        (b"PK\x03\x04rest-of-zip", "xlsx_renamed"),
        (b"\xff\xfea\x00b\x00", "utf16"),
        (b"a,b\x00c", "binary"),
    ],
)
def test_unreadable_files(raw, code):
    assert codes(raw) == [(code, None, None)]


def test_unknown_building_is_a_cross_table_problem(tmp_path):
    for spec in TABLES.values():
        (tmp_path / spec.filename).write_bytes((DEFAULT_DATA_DIR / spec.filename).read_bytes())
    (tmp_path / "projects.csv").write_bytes(edited(",2025-09-23,tanhui,", ",2025-09-23,nowhere,"))
    _, problems, _ = load_tables(tmp_path)
    assert [(p.file, p.code, p.line, p.value) for p in problems] == [
        ("projects.csv", "unknown_building", 7, "nowhere")
    ]


def test_every_problem_renders_in_both_languages():
    raw = edited("\np02,", "\np01,")
    _, problems = read_csv_bytes(PROJECTS, raw)
    for lang in LANGS:
        line = problems[0].render(lang)
        assert "projects.csv" in line and "p01" in line and "project_id" in line


@pytest.mark.parametrize("text", ["", "  ", "3", "3.5", "1,234,567.5", "-0"])
def test_parse_number_accepts(text):
    assert parse_number(text)[1] is None
