"""`python -m shahu check`: exit 0 valid, 1 invalid with one line per problem, 2 usage error."""

from __future__ import annotations

import subprocess
import sys

from shahu.paths import ROOT


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "shahu", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_shipped_data_exits_0():
    result = run("check")
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_reports_each_problem_on_its_own_line(data_dir):
    path = data_dir / "projects.csv"
    text = (
        path.read_text(encoding="utf-8").replace("\np02,", "\np01,", 1).replace(",5.0,", ",12%,", 1)
    )
    path.write_text(text, encoding="utf-8")
    result = run("--lang", "en", "check", str(data_dir))
    assert result.returncode == 1
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 3
    assert all(line.startswith("projects.csv · line ") for line in lines)
    assert "column amount_cny_100m" in lines[2] and "“12%”" in lines[2]


def test_usage_errors_exit_2(tmp_path):
    assert run("check", str(tmp_path / "missing")).returncode == 2
    assert run("frobnicate").returncode == 2
    assert run().returncode == 2
