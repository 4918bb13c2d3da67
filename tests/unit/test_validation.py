"""The data contract: shipped data passes; each kind of mistake gets its own clear message.

Broken files are built in code from the shipped tables (one cell changed), so every case says
exactly what was broken and where: the line as a spreadsheet shows it (header = 1), the column
and the bad value.
"""

from __future__ import annotations

import csv
import io
import math

import openpyxl
import pytest

from shahu.core.i18n import LANGS, t
from shahu.core.paths import DEFAULT_DATA_DIR, DEFAULT_GEO_DIR
from shahu.data.dataset import load_dataset, load_tables
from shahu.data.schemas import LAT_RANGE, SECTORS, TABLES, Building, Metric, Project
from shahu.data.validation import Problem, decode, parse_number, read_csv_bytes
from tests.helpers import copy_data

Row = dict[str, str]


def shipped(name: str) -> tuple[list[str], list[Row]]:
    """Header and rows of a shipped table, as text."""
    text = (DEFAULT_DATA_DIR / TABLES[name].filename).read_text(encoding="utf-8")
    reader = csv.DictReader(io.StringIO(text))
    return list(reader.fieldnames), list(reader)


def to_csv(header: list[str], rows: list[Row | list[str]], newline: str = "\n") -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=newline)
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(c, "") for c in header] if isinstance(row, dict) else row)
    return out.getvalue()


def edited(name: str, index: int, column: str, value: str) -> bytes:
    """The shipped table with data row `index` (0-based; spreadsheet line index + 2) changed."""
    header, rows = shipped(name)
    rows[index][column] = value
    return to_csv(header, rows).encode("utf-8")


def found(
    raw: bytes, name: str = "projects"
) -> list[tuple[str, int | None, str | None, str | None]]:
    """(code, line, column, value) of every problem; a file with problems yields no frame."""
    frame, problems = read_csv_bytes(TABLES[name], raw)
    assert (frame is None) == bool(problems)
    return [(p.code, p.line, p.column, p.value) for p in problems]


# ── the shipped data ───────────────────────────────────────────────────────────────────────


def test_shipped_data_is_valid():
    tables, problems, stale = load_tables(DEFAULT_DATA_DIR)
    assert problems == [] and stale == ()
    assert set(tables) == set(TABLES)
    assert len(tables["projects"]) == 23
    assert len(tables["buildings"]) == len(shipped("buildings")[1])


def test_undisclosed_amount_stays_empty_never_zero():
    frame, _ = read_csv_bytes(
        TABLES["projects"], edited("projects", 0, Project.amount_cny_100m, "")
    )
    assert math.isnan(frame[Project.amount_cny_100m].iloc[0])


# ── keys, vocabularies, columns ────────────────────────────────────────────────────────────


def test_duplicate_key_names_both_lines():
    _, rows = shipped("projects")
    first = rows[0][Project.project_id]
    assert found(edited("projects", 1, Project.project_id, first)) == [
        ("duplicate_key", 2, "project_id", first),
        ("duplicate_key", 3, "project_id", first),
    ]


def test_duplicate_composite_key_in_metrics():
    header, rows = shipped("metrics")
    rows[4][Metric.metric], rows[4][Metric.as_of] = rows[1][Metric.metric], rows[1][Metric.as_of]
    problems = found(to_csv(header, rows).encode(), "metrics")
    key = f"{rows[1][Metric.metric]}+{rows[1][Metric.as_of]}"
    assert problems == [
        ("duplicate_key", 3, "metric+as_of", key),
        ("duplicate_key", 6, "metric+as_of", key),
    ]


def test_unknown_sector_lists_the_allowed_values():
    raw = edited("projects", 3, Project.sector, "carbon_magic")
    assert found(raw) == [("not_one_of", 5, "sector", "carbon_magic")]
    _, problems = read_csv_bytes(TABLES["projects"], raw)
    assert all(s in problems[0].message("en") for s in SECTORS)


def test_empty_required_cells():
    assert found(edited("projects", 2, Project.sector, "")) == [("required", 4, "sector", "")]
    assert found(edited("projects", 2, Project.name_zh, " ")) == [("required", 4, "name_zh", "")]


def test_bad_id_and_date_format():
    assert found(edited("projects", 0, Project.project_id, "P 01")) == [
        ("bad_format", 2, "project_id", "P 01")
    ]
    assert found(edited("projects", 0, Project.signed_on, "23/09/2025")) == [
        ("bad_date", 2, "signed_on", "23/09/2025")
    ]


def test_missing_column():
    header, rows = shipped("projects")
    renamed = ["state" if c == Project.status else c for c in header]
    body = [[r[c] for c in header] for r in rows]
    assert found(to_csv(renamed, body).encode()) == [("missing_column", 1, "status", None)]


def test_duplicated_column():
    header, rows = shipped("projects")
    body = [[r[c] for c in header] + [r[Project.sector]] for r in rows]
    assert found(to_csv([*header, "sector"], body).encode()) == [
        ("duplicate_column", 1, "sector", None)
    ]


def test_extra_and_optional_columns():
    header, rows = shipped("buildings")
    optional = TABLES["buildings"].optional
    kept = [c for c in header if c not in optional] + ["note"]
    body = [[r.get(c, "x") for c in kept] for r in rows]
    frame, problems = read_csv_bytes(TABLES["buildings"], to_csv(kept, body).encode())
    assert problems == []
    assert frame[Building.firms_count].isna().all()


def test_header_only_and_empty_files():
    header, _ = shipped("projects")
    assert found(to_csv(header, []).encode()) == [("header_only", None, None, None)]
    assert found(b"") == [("empty", None, None, None)]
    assert found(b"\r\n\n  \n") == [("empty", None, None, None)]


# ── numbers, the way Excel users type them ─────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("cell", "code"),
    [
        ("12%", "percent"),
        ("#N/A", "excel_error"),
        ("#VALUE!", "excel_error"),
        ("-3", "negative"),
        ("abc", "not_a_number"),
        ("5亿", "not_a_number"),
        ("1,23", "ambiguous_number"),
    ],
)
def test_bad_amounts(cell, code):
    raw = edited("projects", 5, Project.amount_cny_100m, cell)
    assert found(raw) == [(code, 7, "amount_cny_100m", cell)]


@pytest.mark.parametrize(
    ("cell", "value"),
    [
        ("1,234", 1234.0),
        ("１２３４", 1234.0),
        ("１，２３４．５", 1234.5),
        ("５．０", 5.0),
        (" 7 ", 7.0),
        ("1,234,567.5", 1234567.5),
        ("0", 0.0),
    ],
)
def test_excel_style_numbers_are_accepted(cell, value):
    frame, problems = read_csv_bytes(
        TABLES["projects"], edited("projects", 5, Project.amount_cny_100m, cell)
    )
    assert problems == []
    assert frame.loc[7, Project.amount_cny_100m] == value


def test_one_message_per_cell_for_a_required_number():
    assert found(edited("buildings", 0, Building.lat, "north"), "buildings") == [
        ("not_a_number", 2, "lat", "north")
    ]
    assert found(edited("metrics", 0, Metric.value, "12%"), "metrics") == [
        ("percent", 2, "value", "12%")
    ]
    assert found(edited("buildings", 0, Building.lat, ""), "buildings") == [
        ("required", 2, "lat", "")
    ]


@pytest.mark.parametrize(
    ("text", "value"),
    [("", None), ("  ", None), ("3", 3.0), ("3.5", 3.5), (".5", 0.5), ("+2", 2.0), ("-0", 0.0)],
)
def test_parse_number_accepts(text, value):
    """An empty cell is no value (undisclosed), never 0; every other accepted text is its number."""
    assert parse_number(text) == (value, None)


# ── positions ──────────────────────────────────────────────────────────────────────────────


def test_swapped_lat_lon():
    header, rows = shipped("buildings")
    lat, lon = rows[0][Building.lat], rows[0][Building.lon]
    rows[0][Building.lat], rows[0][Building.lon] = lon, lat
    assert found(to_csv(header, rows).encode(), "buildings") == [
        ("swapped_lat_lon", 2, "lat", lon),
        ("swapped_lat_lon", 2, "lon", lat),
    ]


def test_outside_wuhan_says_where_wuhan_is():
    header, rows = shipped("buildings")
    rows[2][Building.lat], rows[2][Building.lon] = "39.9", "116.4"
    raw = to_csv(header, rows).encode()
    assert found(raw, "buildings") == [
        ("out_of_wuhan", 4, "lat", "39.9"),
        ("out_of_wuhan", 4, "lon", "116.4"),
    ]
    _, problems = read_csv_bytes(TABLES["buildings"], raw)
    assert str(LAT_RANGE[0]) in problems[0].message("zh")


def test_unknown_building_id(tmp_path):
    data = copy_data(tmp_path)
    _, projects = shipped("projects")
    _, institutions = shipped("institutions")
    (data / "projects.csv").write_bytes(edited("projects", 5, Project.building_id, "nowhere"))
    (data / "institutions.csv").write_bytes(edited("institutions", 2, "building_id", "gone"))
    _, problems, stale = load_tables(data)
    assert stale == ()  # each table is valid on its own; the reference between them is not
    assert [(p.file, p.code, p.line, p.column, p.value) for p in problems] == [
        ("projects.csv", "unknown_building", 7, "building_id", "nowhere"),
        ("institutions.csv", "unknown_building", 4, "building_id", "gone"),
    ]


# ── line numbers as a spreadsheet shows them ───────────────────────────────────────────────


def test_line_numbers_count_rows_not_text_lines():
    """A cell with a line break (Alt+Enter in Excel) is still one row; blank rows count."""
    header, rows = shipped("finance_products")
    rows[0]["description_zh"] = "第一行\n第二行\n第三行"
    rows[3]["kind"] = "gift"
    body = [[r[c] for c in header] for r in rows]
    text = to_csv(header, [*body[:2], [], *body[2:]], newline="\r\n")
    # line 2: row 0 (three text lines), 3: row 1, 4: blank, 5: row 2, 6: row 3
    assert found(text.encode(), "finance_products") == [("not_one_of", 6, "kind", "gift")]


# ── encodings and files that are not CSV at all ────────────────────────────────────────────


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_excel_encodings_decode(tmp_path, encoding):
    data = copy_data(tmp_path)
    for spec in TABLES.values():
        text = (DEFAULT_DATA_DIR / spec.filename).read_text(encoding="utf-8")
        (data / spec.filename).write_bytes(text.replace("\n", "\r\n").encode(encoding))
    tables, problems, _ = load_tables(data)
    reference, _, _ = load_tables(DEFAULT_DATA_DIR)
    assert problems == []
    for name in TABLES:
        assert tables[name].equals(reference[name]), name


def test_bom_does_not_stick_to_the_first_column():
    raw = b"\xef\xbb\xbf" + (DEFAULT_DATA_DIR / "projects.csv").read_bytes()
    frame, problems = read_csv_bytes(TABLES["projects"], raw)
    assert problems == [] and frame.columns[0] == Project.project_id
    assert decode(raw) == (DEFAULT_DATA_DIR / "projects.csv").read_text(encoding="utf-8")


def test_renamed_xlsx_is_refused(tmp_path):
    header, rows = shipped("projects")
    book = openpyxl.Workbook()
    book.active.append(header)
    for row in rows:
        book.active.append([row[c] for c in header])
    book.save(tmp_path / "projects.xlsx")
    raw = (tmp_path / "projects.xlsx").read_bytes()
    assert raw[:2] == b"PK"
    assert found(raw) == [("xlsx_renamed", None, None, None)]


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("项目".encode("utf-16"), "utf16"),
        (b"project_id,name\x00", "binary"),
        (b"\xff\xff\xff", "encoding"),
        (b'project_id,name_zh\np1,"' + b"x" * 200_000 + b"\n", "malformed_csv"),
    ],
)
def test_unreadable_files(raw, code):
    assert found(raw) == [(code, None, None, None)]


# ── what the app does with a broken file ───────────────────────────────────────────────────


def test_broken_file_keeps_the_last_good_copy(tmp_path):
    data = copy_data(tmp_path)
    good, _, _ = load_tables(data)
    (data / "projects.csv").write_bytes(edited("projects", 0, Project.sector, "nope"))
    tables, problems, stale = load_tables(data, last_good=good)
    assert stale == ("projects",)
    assert [(p.file, p.code) for p in problems] == [("projects.csv", "not_one_of")]
    assert tables["projects"].equals(good["projects"])
    assert load_tables(data)[0]["projects"].empty  # nothing was remembered behind the caller


def test_broken_file_with_no_good_copy_is_an_empty_table(tmp_path):
    data = copy_data(tmp_path)
    (data / "projects.csv").write_bytes(b"")
    (data / "metrics.csv").unlink()
    tables, problems, stale = load_tables(data)
    assert set(stale) == {"projects", "metrics"}
    assert {(p.file, p.code) for p in problems} == {
        ("projects.csv", "empty"),
        ("metrics.csv", "file_missing"),
    }
    assert tables["projects"].empty and Project.sector in tables["projects"].columns
    assert len(tables["buildings"]) == len(shipped("buildings")[1])


def test_broken_buildings_do_not_break_the_dataset(tmp_path):
    """No buildings to place projects at: projects stay listed, unmapped, and nothing raises."""
    data = copy_data(tmp_path)
    (data / "buildings.csv").write_bytes(edited("buildings", 0, Building.lat, "north"))
    ds = load_dataset(data, DEFAULT_GEO_DIR)
    assert ds.stale == ("buildings",) and ds["buildings"].empty
    assert [p.code for p in ds.problems] == ["not_a_number"]  # not 19 × unknown_building
    assert len(ds["projects"]) == 23


def test_projects_that_need_no_placing(tmp_path):
    data = copy_data(tmp_path)
    header, rows = shipped("projects")
    for row in rows:
        row[Project.building_id] = ""
    (data / "projects.csv").write_text(to_csv(header, rows), encoding="utf-8")
    ds = load_dataset(data, DEFAULT_GEO_DIR)
    assert ds.problems == []
    assert ds["projects"][Project.lat].notna().sum() == sum(bool(r[Project.lat]) for r in rows)


# ── messages ───────────────────────────────────────────────────────────────────────────────


def every_kind_of_problem() -> list[Problem]:
    header, rows = shipped("projects")
    cases = [
        edited("projects", 1, Project.project_id, rows[0][Project.project_id]),
        edited("projects", 3, Project.sector, "carbon_magic"),
        edited("projects", 3, Project.sector, ""),
        edited("projects", 0, Project.signed_on, "yesterday"),
        to_csv([*header, "sector"], [[*r.values(), "x"] for r in rows]).encode(),
        to_csv([c for c in header if c != Project.source], []).encode(),
        to_csv(header, []).encode(),
        b"",
        b"PK\x03\x04",
        "x".encode("utf-16"),
        b"a\x00",
        b"\xff\xff",
        b'a,"' + b"x" * 200_000,
        *(
            edited("projects", 5, Project.amount_cny_100m, cell)
            for cell in ("12%", "#N/A", "-1", "x", "1,2", "9" * 60)
        ),
    ]
    problems = [p for raw in cases for p in read_csv_bytes(TABLES["projects"], raw)[1]]
    header, rows = shipped("buildings")
    rows[0][Building.lat], rows[0][Building.lon] = rows[0][Building.lon], rows[0][Building.lat]
    rows[1][Building.lat] = "10"
    problems += read_csv_bytes(TABLES["buildings"], to_csv(header, rows).encode())[1]
    problems.append(Problem("projects.csv", "unknown_building", 7, "building_id", "nowhere"))
    problems.append(Problem("metrics.csv", "file_missing"))
    return problems


def test_every_problem_renders_in_both_languages():
    problems = every_kind_of_problem()
    codes = {p.code for p in problems}
    assert {
        "duplicate_key",
        "not_one_of",
        "required",
        "bad_date",
        "duplicate_column",
        "missing_column",
        "header_only",
        "empty",
        "xlsx_renamed",
        "utf16",
        "binary",
        "encoding",
        "malformed_csv",
        "percent",
        "excel_error",
        "negative",
        "not_a_number",
        "ambiguous_number",
        "swapped_lat_lon",
        "out_of_wuhan",
        "unknown_building",
        "file_missing",
    } <= codes
    for problem in problems:
        rendered = {lang: problem.render(lang) for lang in LANGS}
        assert rendered["zh"] != rendered["en"]
        for lang, line in rendered.items():
            assert "{" not in line and "}" not in line, line
            assert line.startswith(problem.file), line
            if problem.line is not None:
                assert t("problem.where_line", lang, line=problem.line) in line
            if problem.column:
                assert problem.column in line
            if problem.value:
                assert problem.value[:30] in line
            assert len(line) < 400


def test_long_values_are_shortened():
    (problem,) = read_csv_bytes(
        TABLES["projects"], edited("projects", 5, Project.amount_cny_100m, "9" * 60 + "x")
    )[1]
    assert "9" * 60 not in problem.render("en") and "…" in problem.render("en")
