"""`python -m shahu import|history|restore`: exit 0 ok, 1 invalid or refused (nothing changed), 2 usage."""

from __future__ import annotations

import io
import subprocess
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

from shahu.ops.cli import main
from tests.helpers import edited, rows, snapshot


def run(*args: str) -> subprocess.CompletedProcess:
    """`python -m shahu --lang en ARGS`, run in this process (fast): exit code, stdout, stderr.
    tests/unit/test_cli.py runs the real entry point in a fresh interpreter."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            code = main(["--lang", "en", *args])
        except SystemExit as exit_:  # argparse usage errors
            code = exit_.code
    return subprocess.CompletedProcess(args, code, out.getvalue(), err.getvalue())


def test_import_gbk_file_writes_and_keeps_a_backup(data_dir, tmp_path):
    original = (data_dir / "buildings.csv").read_bytes()
    upload = tmp_path / "楼宇 (Excel).csv"
    upload.write_bytes(
        edited(data_dir, "buildings", "xiangyang", "name_zh", "襄阳大厦二期").encode("gbk")
    )
    result = run(
        "import", str(upload), "--table", "buildings", "--data-dir", str(data_dir), "--who", "ops"
    )
    assert result.returncode == 0, result.stderr
    assert "1 changed" in result.stdout
    [backup] = (data_dir / ".backups" / "buildings").glob("*__ops.csv")
    assert backup.read_bytes() == original
    assert "襄阳大厦二期" in (data_dir / "buildings.csv").read_text(encoding="utf-8")

    history = run("history", "--table", "buildings", "--data-dir", str(data_dir))
    assert history.returncode == 0 and backup.name in history.stdout and "ops" in history.stdout
    restored = run("restore", backup.name, "--table", "buildings", "--data-dir", str(data_dir))
    assert restored.returncode == 0, restored.stderr
    assert (data_dir / "buildings.csv").read_bytes() == original


def test_invalid_file_exits_1_with_one_line_per_problem_and_changes_nothing(data_dir, tmp_path):
    text = edited(data_dir, "projects", "p06", "amount_cny_100m", "12%")
    text = edited_text = text.replace(",carbon_tech,", ",carbon_magic,", 1)
    upload = tmp_path / "projects.csv"
    upload.write_text(edited_text, encoding="utf-8")
    before = snapshot(data_dir)
    result = run("import", str(upload), "--table", "projects", "--data-dir", str(data_dir))
    assert result.returncode == 1
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 2 and all(line.startswith("projects.csv · line ") for line in lines)
    assert any("“12%”" in line for line in lines) and any("carbon_magic" in line for line in lines)
    assert "nothing has changed" in result.stderr
    assert snapshot(data_dir) == before


def test_dropping_most_rows_needs_yes_drop(data_dir, tmp_path):
    header, records = rows(data_dir, "metrics")
    upload = tmp_path / "metrics.csv"
    upload.write_text(
        ",".join(header)
        + "\n"
        + "\n".join(",".join(f'"{r[c]}"' for c in header) for r in records[:2])
        + "\n",
        encoding="utf-8",
    )
    before = snapshot(data_dir)
    args = ("import", str(upload), "--table", "metrics", "--data-dir", str(data_dir))
    refused = run(*args)
    assert refused.returncode == 1 and "--yes-drop" in refused.stderr
    assert snapshot(data_dir) == before
    assert run(*args, "--yes-drop").returncode == 0
    assert len(rows(data_dir, "metrics")[1]) == 2


def test_usage_errors_exit_2(data_dir, tmp_path):
    good = tmp_path / "m.csv"
    good.write_bytes((data_dir / "metrics.csv").read_bytes())
    before = snapshot(data_dir)
    assert run("import", str(tmp_path / "missing.csv"), "--table", "metrics").returncode == 2
    assert run("import", str(good), "--table", "nosuch").returncode == 2
    assert run("import", str(good)).returncode == 2
    assert (
        run(
            "import", str(good), "--table", "metrics", "--data-dir", str(tmp_path / "no")
        ).returncode
        == 2
    )
    assert run("restore", "nope.csv", "--table", "metrics").returncode == 2
    assert snapshot(data_dir) == before


def test_unchanged_file_exits_0_and_writes_nothing(data_dir):
    before = snapshot(data_dir)
    path = Path(data_dir / "metrics.csv")
    result = run("import", str(path), "--table", "metrics", "--data-dir", str(data_dir))
    assert result.returncode == 0 and "nothing was changed" in result.stdout
    assert snapshot(data_dir) == before
