"""Issue 15: strangers in the data folder, old links, impossible dates and bad values in memory
(findings 3, 4, 6 and the fresh-start notice of 11)."""

from __future__ import annotations

import os
import threading
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from shahu.core.i18n import t
from shahu.core.paths import DEFAULT_GEO_DIR
from shahu.data import change_plan, store, templates
from shahu.data.dataset import fingerprint, load_dataset, load_tables, problems_notice
from shahu.data.filters import Filters, amount_ceiling, clamp, from_params
from shahu.data.schemas import Metric, Project
from shahu.ops.cli import main as cli
from shahu.ui import cache
from tests.helpers import assert_clean, edited, page_parts, page_title, run_page, snapshot

PAGES = [None, "pages/map.py", "pages/signings.py", "pages/sectors.py", "pages/finance.py"]


def finishes(call, *args):
    """Run `call` in a thread; True when it returned (a FIFO read would block it forever)."""
    done = threading.Event()
    result: list = []

    def run():
        result.append(call(*args))
        done.set()

    threading.Thread(target=run, daemon=True).start()
    return done.wait(60), result


def strangers(folder: Path) -> None:
    """What the adversarial review left in the data folder."""
    (folder / "notes.csv").symlink_to(folder / "nowhere.csv")  # dangling link
    (folder / "archive.csv").mkdir()  # a folder with a table-like name
    (folder / "archive.csv" / "old.csv").write_text("x\n")
    os.mkfifo(folder / "pipe.csv")  # a FIFO: reading it waits for a writer forever
    (folder / "README.txt").write_text("notes for staff")


# ── the data folder tolerates strangers ────────────────────────────────────────────────────


def test_strangers_in_the_data_folder_are_ignored(data_dir):
    before, _, _ = load_tables(data_dir)
    stamp = fingerprint(data_dir, DEFAULT_GEO_DIR)
    strangers(data_dir)
    ok, (mark,) = finishes(fingerprint, data_dir, DEFAULT_GEO_DIR)
    assert ok and mark == stamp  # only the table files count
    ok, (ds,) = finishes(load_dataset, data_dir, DEFAULT_GEO_DIR)
    assert ok and ds.problems == [] and ds.stale == ()
    assert len(ds["projects"]) == len(before["projects"])


@pytest.mark.parametrize("stranger", ["dangling_link", "folder", "fifo"])
def test_a_table_replaced_by_a_stranger_is_last_good_data_and_a_notice(data_dir, stranger):
    good = load_dataset(data_dir, DEFAULT_GEO_DIR)
    path = data_dir / "projects.csv"
    path.unlink()
    if stranger == "dangling_link":
        path.symlink_to(data_dir / "gone.csv")
    elif stranger == "folder":
        path.mkdir()
    else:
        os.mkfifo(path)
    ok, (stamp,) = finishes(fingerprint, data_dir, DEFAULT_GEO_DIR)
    assert ok and stamp != good.stamp
    ok, (ds,) = finishes(load_dataset, data_dir, DEFAULT_GEO_DIR, good.fresh())
    assert ok and ds.stale == ("projects",)
    code = "file_missing" if stranger == "dangling_link" else "not_a_file"
    assert [(p.file, p.code) for p in ds.problems] == [("projects.csv", code)]
    assert len(ds["projects"]) == len(good["projects"])
    assert problems_notice(ds, "en") == t("app.data_problems", "en", n=1)
    assert ds.problems[0].render("en").startswith("projects.csv: ")


def test_a_fifo_table_does_not_hang_an_import_or_the_template(data_dir):
    path = data_dir / "metrics.csv"
    raw = path.read_bytes()
    path.unlink()
    os.mkfifo(path)
    ok, (template,) = finishes(templates.template_csv, data_dir, "metrics")
    assert ok and template.startswith(b"\xef\xbb\xbf" + b"metric,")
    ok, (plan,) = finishes(change_plan.prepare, data_dir, "metrics", "m.csv", raw)
    assert ok and plan.ok and plan.base == ""


def test_a_fresh_start_with_no_valid_data_never_claims_to_show_the_last_valid_data(data_dir):
    (data_dir / "projects.csv").write_text("project_id\n", encoding="utf-8")
    ds = load_dataset(data_dir, DEFAULT_GEO_DIR)  # nothing earlier to fall back on
    assert ds.stale == ("projects",) and ds["projects"].empty
    for lang in ("zh", "en"):
        notice = problems_notice(ds, lang)
        assert notice == t("app.data_problems_no_copy", lang, n=len(ds.problems))
        assert "last valid" not in notice and "最近一次有效" not in notice
        assert "last valid" not in problems_notice(ds, lang, staff=True)


def test_checking_an_upload_remembers_nothing(data_dir):
    """`prepare` reads the other tables for references; no later load may see its copy."""
    change_plan.prepare(data_dir, "projects", "p.csv", (data_dir / "projects.csv").read_bytes())
    (data_dir / "projects.csv").write_bytes(b"")
    tables, _, stale = load_tables(data_dir)
    assert stale == ("projects",) and tables["projects"].empty


# ── real dates ─────────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("table", "key", "column", "value"),
    [
        ("projects", "p01", Project.signed_on, "2025-09-31"),
        ("metrics", None, Metric.as_of, "2025-13"),
        ("projects", "p01", Project.signed_on, "2025-02-29"),
    ],
)
def test_impossible_dates_are_row_problems_in_check_and_import(
    data_dir, capsys, table, key, column, value
):
    if key is None:
        key = pd.read_csv(data_dir / f"{table}.csv", dtype=str).iloc[0][Metric.metric]
        text = edited(data_dir, table, key, column, value)
        text = text.replace(f"{key},", f"{key},", 1)
    else:
        text = edited(data_dir, table, key, column, value)
    raw = text.encode()
    before = snapshot(data_dir)
    outcome = store.import_upload(data_dir, table, "x.csv", raw, "t")
    assert outcome.status == "invalid"
    (problem,) = outcome.plan.problems
    assert (problem.code, problem.column, problem.value) == ("bad_date", column, value)
    assert "calendar" in problem.message("en") and "日历" in problem.message("zh")
    assert snapshot(data_dir) == before
    (data_dir / f"{table}.csv").write_bytes(raw)
    assert cli(["--lang", "en", "check", str(data_dir)]) == 1
    out = capsys.readouterr().out
    assert f"value “{value}”" in out or value in out
    assert "Not a date on the calendar" in out


# ── old links ──────────────────────────────────────────────────────────────────────────────


def _projects(amounts: list[float | None]) -> pd.DataFrame:
    return pd.DataFrame({Project.amount_cny_100m: pd.Series(amounts, dtype="float64")})


@pytest.mark.parametrize(
    ("params", "lo", "hi"),
    [
        ({"amin": "10"}, 6.0, None),  # above the largest amount: the slider's top
        ({"amin": "10", "amax": "20"}, 6.0, None),
        ({"amax": "3"}, None, 3.0),
        ({"amin": "2", "amax": "1e9"}, 2.0, None),
        ({"amin": "0", "amax": "0"}, None, 0.0),
    ],
)
def test_old_amount_links_are_clamped_to_todays_data(params, lo, hi):
    projects = _projects([1.0, 5.5, None])
    assert amount_ceiling(projects) == 6.0
    f = clamp(from_params(params), projects, ())
    assert (f.amount_min, f.amount_max) == (lo, hi)


def test_old_building_links_drop_what_no_longer_exists():
    f = clamp(Filters(buildings=("tanhui", "gone")), _projects([1.0]), ("tanhui",))
    assert f.buildings == ("tanhui",)


def test_an_old_link_opens_every_filtered_page(data_dir):
    """`?amin=10` above the largest amount once raised in the sidebar slider."""
    text = (data_dir / "projects.csv").read_text(encoding="utf-8").splitlines()
    header = text[0].split(",")
    column = header.index(Project.amount_cny_100m)
    rows = []
    for line in text[1:]:
        cells = line.split(",")
        if cells[column]:
            cells[column] = "1"
        rows.append(",".join(cells))
    (data_dir / "projects.csv").write_text("\n".join([text[0], *rows]) + "\n", encoding="utf-8")
    from streamlit.testing.v1 import AppTest

    from shahu.core.paths import ROOT

    for page in ("pages/signings.py", "pages/map.py"):
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        at.query_params.update(lang="en", amin="10", amax="20", bld="gone,tanhui")
        at.run()
        at.switch_page(page).run()
        assert_clean(at)
        (slider,) = at.sidebar.slider
        assert slider.value == (0.1, 0.1)  # 1亿元 each end, shown in CNY bn in English
        assert at.sidebar.multiselect[-1].value == ["tanhui"]


# ── a bad value in memory shows the rest of the page ───────────────────────────────────────


def test_a_bad_value_in_memory_shows_the_rest_of_every_page(data_dir, monkeypatch):
    real = cache.load_dataset

    def corrupted(*args, **kwargs):
        ds = real(*args, **kwargs)
        tables = dict(ds.tables)
        projects = tables["projects"].copy()
        projects.iloc[0, projects.columns.get_loc(Project.signed_on)] = "2025-09-31"
        metrics = tables["metrics"].copy()
        metrics[Metric.as_of] = "2025-13"
        metrics.iloc[0, metrics.columns.get_loc(Metric.qualifier)] = "weird"
        tables.update(projects=projects, metrics=metrics)
        return replace(ds, tables=tables)

    monkeypatch.setattr(cache, "load_dataset", corrupted)
    for page, part in page_parts(PAGES):  # every tab of every page
        for lang in ("zh", "en"):
            at = run_page(page, lang, part=part)
            assert_clean(at)
            assert page_title(at), (page, part, lang)
