"""The 数据管理 / Data page in AppTest: sign-in, problems, preview, confirm, guards, history, restore."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from shahu.core.i18n import t
from shahu.data import auth
from shahu.data.history import history
from shahu.data.store import import_upload
from shahu.ui import staff as staff_ui
from tests.accounts import ACCOUNTS, OTHER_PASSWORD, PASSWORD, cheap_hash
from tests.helpers import (
    DATA_PAGE,
    as_csv,
    button,
    edited,
    page_title,
    raw_keys,
    rows,
    run_page,
    sign_in,
    snapshot,
    staff_page,
    visible_texts,
)

PAGE = DATA_PAGE


def upload(at, name: str, raw: bytes):
    return at.file_uploader[0].set_value((name, raw, "text/csv")).run()


def frames(at) -> list[pd.DataFrame]:
    return [d.value for d in at.dataframe]


def tables(at) -> list[pd.DataFrame]:
    """st.table contents with the markdown escapes taken out again: what the visitor reads."""
    return [x.value.map(lambda s: re.sub(r"\\(.)", r"\1", str(s))) for x in at.table]


def all_cells(at) -> str:
    cells = frames(at) + tables(at)
    return " ".join(" ".join(map(str, f.astype(str).to_numpy().ravel())) for f in cells)


@pytest.fixture
def staff(data_dir):
    return data_dir


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("configured", [True, False])
def test_page_runs_clean(data_dir, lang, configured):
    at = staff_page(lang, ACCOUNTS if configured else None)
    assert not at.exception, at.exception
    assert raw_keys(at) == []
    assert page_title(at) == t("staff.title", lang)
    assert not at.file_uploader  # nothing to upload before a sign-in
    at = sign_in(at, lang) if configured else at
    assert len(at.file_uploader) == configured
    if configured:
        assert at.file_uploader[0].allowed_type == [".csv", ".xlsx"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_without_accounts_the_page_says_so_and_shows_no_settings(data_dir, lang):
    import_upload(
        data_dir,
        "buildings",
        "b.csv",
        edited(data_dir, "buildings", "tianfeng", "name_en", "O").encode(),
        "ops",
    )
    at = staff_page(lang, None)
    assert [i.value for i in at.info] == [t("staff.not_set_up", lang)]
    assert "README" in at.info[0].value
    shown = " ".join(visible_texts(at))
    for secret_word in ("SHAHU_", "secrets", "admin_password", "[staff", "ops"):
        assert secret_word not in shown
    assert not at.main.text_input and not at.file_uploader and not at.dataframe
    assert not at.expander or all(e.label != t("staff.history", lang) for e in at.expander)


def test_visitors_see_no_history_no_uploader_and_no_disk_problems(staff):
    import_upload(
        staff,
        "buildings",
        "b.csv",
        edited(staff, "buildings", "tianfeng", "name_en", "O").encode(),
        "ops",
    )
    (staff / "projects.csv").write_text("project_id,name_zh\np01,x\n", encoding="utf-8")
    at = staff_page()
    assert at.text_input(key="staff_pw")  # the sign-in form
    assert not at.file_uploader and not at.dataframe and not at.table and not at.error
    assert "ops" not in " ".join(visible_texts(at))


def test_wrong_password_is_refused(staff):
    at = sign_in(staff_page(), password="guess")
    assert t("staff.wrong_password", "en") in [e.value for e in at.error]
    assert at.text_input(key="staff_pw").value == ""  # never kept
    assert not at.file_uploader and staff_ui.SESSION_KEY not in at.session_state


def test_an_unknown_account_is_refused_with_the_same_words(staff):
    at = sign_in(staff_page(), name="Mallory")
    assert [e.value for e in at.error] == [t("staff.wrong_password", "en")]
    assert not at.file_uploader


def test_repeated_failures_back_off_across_sessions(staff):
    for _ in range(staff_ui.throttle().rules["account"].free):
        sign_in(staff_page(), password="guess")
    at = sign_in(staff_page(), password="guess")  # a fresh session: the limit is the server's
    at = sign_in(staff_page(), password=PASSWORD)  # even the right password waits now
    [error] = at.error
    assert error.value.startswith(t("staff.wait", "en", seconds=0).split("0")[0])
    assert not at.file_uploader
    # counted in the data folder, where every replica sees it (AppTest has no client address)
    assert staff_ui.throttle().failures(("account", "Amy@127.0.0.1")) == 6
    assert (staff / ".sign-in" / "attempts.json").is_file()


def test_each_account_signs_in_with_its_own_password(staff):
    at = sign_in(staff_page(), name="王工", password=OTHER_PASSWORD)
    assert any("王工" in s.value for s in at.success)
    at = sign_in(staff_page(), name="王工", password=PASSWORD)  # Amy's password is not 王工's
    assert not at.success


def test_a_changed_password_signs_out_every_session(staff):
    at = sign_in(staff_page())
    assert at.file_uploader
    at.secrets["staff"] = {"accounts": {**ACCOUNTS, "Amy": cheap_hash("a new password 2")}}
    at.run()
    assert not at.file_uploader
    assert [w.value for w in at.warning] == [t("staff.signed_out", "en")]
    at = sign_in(at, password="a new password 2")
    assert at.file_uploader


def test_a_session_times_out(staff, monkeypatch):
    at = sign_in(staff_page())
    assert at.file_uploader
    monkeypatch.setattr(auth, "IDLE_LIMIT", -1)
    at.run()
    assert not at.file_uploader
    assert [w.value for w in at.warning] == [t("staff.signed_out", "en")]


def test_sign_out(staff):
    at = sign_in(staff_page())
    at = button(at, "staff.sign_out", "en").click().run()
    assert not at.file_uploader and at.text_input(key="staff_pw")


def test_staff_sees_every_problem_then_the_diff_then_confirms(staff):
    original = (staff / "buildings.csv").read_bytes()
    at = sign_in(staff_page("zh"), "zh", name="王工", password=OTHER_PASSWORD)
    assert any("王工" in s.value for s in at.success)

    bad = edited(staff, "buildings", "tianfeng", "lat", "31.9")
    bad = bad.replace(",estimated,", ",guess,", 1).encode("gbk")
    at = upload(at, "楼宇.csv", bad)
    assert t("staff.problems", "zh", n=2) in [e.value for e in at.error]
    [problems] = tables(at)
    assert list(problems.columns) == [
        t(f"staff.col.{c}", "zh") for c in ("line", "column", "value", "todo")
    ]
    assert set(zip(problems.iloc[:, 0], problems.iloc[:, 1], problems.iloc[:, 2], strict=True)) == {
        ("2", "provenance", "guess"),
        ("3", "lat", "31.9"),
    }
    assert (staff / "buildings.csv").read_bytes() == original

    at = upload(
        at,
        "楼宇.csv",
        edited(staff, "buildings", "tianfeng", "name_zh", "天风大厦（新）").encode("gbk"),
    )
    change = tables(at)[-1]
    assert change.values.tolist() == [["修改", "tianfeng", "name_zh", "天风大厦", "天风大厦（新）"]]
    confirm = button(at, "staff.confirm", "zh")
    assert not confirm.disabled
    at = confirm.click().run()
    assert not at.exception
    assert "天风大厦（新）" in (staff / "buildings.csv").read_text(encoding="utf-8")
    [entry] = history(staff, "buildings")
    assert entry.who == "王工"
    assert any(entry.backup in s.value for s in at.success)
    assert at.file_uploader[0].value is None  # cleared for the next file

    at.selectbox(key="staff_pick_buildings").set_value(entry.backup).run()
    at = button(at, "staff.restore", "zh").click().run()
    assert (staff / "buildings.csv").read_bytes() == original
    assert [e.action for e in history(staff, "buildings")] == ["restore", "import"]


def test_dropping_most_rows_needs_the_second_confirmation(staff):
    header, records = rows(staff, "metrics")
    few = ",".join(header) + "\n" + ",".join(f'"{records[0][c]}"' for c in header) + "\n"
    before = snapshot(staff)
    at = sign_in(staff_page())
    at.selectbox(key="staff_table").set_value("metrics").run()
    at = upload(at, "m.csv", few.encode())
    assert any("%" in w.value for w in at.warning)
    assert button(at, "staff.confirm", "en").disabled
    assert snapshot(staff) == before
    at.checkbox(key="staff_drop_metrics_0").check().run()
    at = button(at, "staff.confirm", "en").click().run()
    assert len(rows(staff, "metrics")[1]) == 1


def test_restoring_a_version_that_drops_most_rows_asks_first(staff):
    """Issue 26: a one-row backup over the whole projects table went through in one click."""
    header, records = rows(staff, "projects")
    one = as_csv(header, records[:1]).encode()
    import_upload(staff, "projects", "one.csv", one, "amy", confirm_drop=True)
    whole = as_csv(header, records).encode()
    import_upload(staff, "projects", "all.csv", whole, "amy")
    backup = history(staff, "projects")[0].backup  # the one-row version
    at = sign_in(staff_page())
    at.selectbox(key="staff_table").set_value("projects").run()
    at.selectbox(key="staff_pick_projects").set_value(backup).run()
    before = snapshot(staff)
    assert any(f"({len(records) - 1} rows" in w.value for w in at.warning)
    assert button(at, "staff.restore", "en").disabled  # the same second confirmation
    assert snapshot(staff) == before
    at.checkbox(key=f"staff_drop_restore_projects_{backup}").check().run()
    at = button(at, "staff.restore", "en").click().run()
    assert not at.exception and len(rows(staff, "projects")[1]) == 1
    assert history(staff, "projects")[0].action == "restore"


def test_html_in_a_cell_is_shown_as_text(staff):
    script = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    at = sign_in(staff_page())
    at = upload(at, "b.csv", edited(staff, "buildings", "tianfeng", "name_en", script).encode())
    assert script in all_cells(at)  # shown verbatim
    rendered = [m.value for m in at.markdown] + [c.value for c in at.caption]
    rendered += [
        e.value for kind in ("error", "warning", "info", "success") for e in getattr(at, kind)
    ]
    assert not any("<script" in text or "onerror" in text for text in rendered)
    assert not at.get("html") or all("<script" not in h.proto.body for h in at.get("html"))

    at = upload(at, "b.csv", edited(staff, "buildings", "tianfeng", "provenance", script).encode())
    [problems] = tables(at)
    assert script in problems.iloc[:, 2].tolist()  # the bad value, literally
    escaped = at.table[0].value.iloc[0, 2]
    assert re.search(r"(?<!\\)[<>]", escaped) is None  # every bracket escaped: never markup


def test_broken_file_on_disk_shows_a_banner_naming_it(staff):
    at = sign_in(staff_page())  # the app has seen valid data once …
    (staff / "projects.csv").write_text("project_id,name_zh\np01,x\n", encoding="utf-8")
    at.run()  # … so visitors still see it
    assert not at.exception
    assert at.error and "last valid data" in at.error[0].value
    banner = tables(at)[0]
    assert "projects.csv" in banner.iloc[:, 0].tolist()
    assert "sector" in banner.iloc[:, 2].tolist()


def test_a_replaced_table_shows_on_the_next_rerun(staff):
    at = run_page("pages/map.py", "en")
    picker = at.selectbox(key="building")
    assert "Tianfeng Building" in picker.options
    upload_ = edited(staff, "buildings", "tianfeng", "name_en", "Tianfeng Tower II").encode()
    assert import_upload(staff, "buildings", "b.csv", upload_, "ops").status == "written"
    at.run()
    assert "Tianfeng Tower II" in at.selectbox(key="building").options
