"""`python -m shahu check`: exit 0 valid, 1 invalid with one line per problem, 2 usage error."""

from __future__ import annotations

import csv
import os
import re
import subprocess
import sys

import pytest

from shahu.core.i18n import t
from shahu.core.paths import DEFAULT_GEO_DIR, ROOT
from shahu.ops.cli import EXIT_INVALID, EXIT_OK, EXIT_USAGE, main


def run(*args: str, cwd=ROOT, **env: str) -> subprocess.CompletedProcess:
    """The real entry point in a fresh interpreter."""
    return subprocess.run(
        [sys.executable, "-m", "shahu", *args],
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(ROOT), **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def check(capsys, *args: str) -> tuple[int, list[str], str]:
    """`main()` in this process (fast): exit code, stdout lines, stderr."""
    try:
        code = main(list(args))
    except SystemExit as exit_:  # argparse usage errors
        code = exit_.code
    out, err = capsys.readouterr()
    return code, out.strip().splitlines(), err


def test_shipped_data_exits_0_from_any_working_directory(tmp_path):
    result = run("check", cwd=tmp_path)
    assert result.returncode == EXIT_OK, result.stdout + result.stderr
    assert str(ROOT / "data") in result.stdout


def test_one_line_per_problem_with_file_line_column(data_dir, capsys):
    path = data_dir / "projects.csv"
    rows = list(csv.reader(path.read_text(encoding="utf-8").splitlines()))
    first = rows[1][0]
    rows[2][0] = first  # duplicate key on spreadsheet lines 2 and 3
    rows[6][rows[0].index("amount_cny_100m")] = "12%"  # line 7
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)

    code, out, err = check(capsys, "--lang", "en", "check", str(data_dir))
    assert code == EXIT_INVALID
    duplicate = t("problem.duplicate_key", "en", key="project_id")
    assert out == [
        f"projects.csv · line 2 · column project_id · value “{first}”: {duplicate}",
        f"projects.csv · line 3 · column project_id · value “{first}”: {duplicate}",
        "projects.csv · line 7 · column amount_cny_100m · value “12%”: "
        + t("problem.percent", "en"),
    ]
    assert t("cli.invalid", "en", n=3) in err

    code, out, _ = check(capsys, "check", str(data_dir))  # Chinese by default
    assert code == EXIT_INVALID
    assert [re.match(r"projects\.csv · 第 (\d) 行 · 列 (\w+)", line).groups() for line in out] == [
        ("2", "project_id"),
        ("3", "project_id"),
        ("7", "amount_cny_100m"),
    ]


def test_data_dir_comes_from_the_environment(data_dir, capsys):
    (data_dir / "buildings.csv").unlink()
    code, out, _ = check(capsys, "--lang", "en", "check")
    assert code == EXIT_INVALID
    assert out == ["buildings.csv: " + t("problem.file_missing", "en")]


def test_geo_problems_are_reported(tmp_path, capsys):
    geo = tmp_path / "geo"
    geo.mkdir()
    for name in ("belt", "lake"):
        (geo / f"{name}.geojson").write_bytes((DEFAULT_GEO_DIR / f"{name}.geojson").read_bytes())
    (geo / "lake.geojson").write_text("{oops", encoding="utf-8")
    code, out, _ = check(capsys, "--lang", "en", "check", "--geo-dir", str(geo))
    assert code == EXIT_INVALID
    assert out == [
        "lake.geojson: " + t("problem.geo_unreadable", "en"),
        "roads.geojson: " + t("problem.geo_missing", "en"),
    ]


@pytest.mark.parametrize(
    "args",
    [
        ("check", "{tmp}/missing"),
        ("check", "{tmp}/a-file.csv"),
        ("check", "--geo-dir", "{tmp}/missing"),
        ("check", "--bogus"),
        ("check", "a", "b"),
        ("--lang", "fr", "check"),
        ("frobnicate",),
        (),
    ],
)
def test_usage_errors_exit_2(tmp_path, capsys, args):
    (tmp_path / "a-file.csv").write_text("x", encoding="utf-8")
    code, out, err = check(capsys, *(a.format(tmp=tmp_path) for a in args))
    assert code == EXIT_USAGE
    assert out == [] and err.strip()


def test_usage_error_exit_code_from_the_shell(tmp_path):
    result = run("check", str(tmp_path / "missing"))
    assert result.returncode == EXIT_USAGE
    assert "missing" in result.stderr and result.stdout == ""
