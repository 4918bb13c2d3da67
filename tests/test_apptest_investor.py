"""The investor pages with filters applied: the numbers shown match the data."""

from __future__ import annotations

from shahu.filters import Filters, apply
from tests.apptest import raw_keys, run_page


def test_signings_table_follows_url_filters(shipped):
    at = run_page("pages/signings.py", "en")
    at.query_params["sector"] = "carbon_tech"
    at.session_state["filters"] = Filters(sectors=("carbon_tech",))
    at.run()
    assert not at.exception and raw_keys(at) == []
    expected = apply(shipped["projects"], Filters(sectors=("carbon_tech",)))
    table = at.dataframe[0].value
    assert len(table) == len(expected) == 8
    assert set(table["sector"]) == {"Carbon technology"}
    assert f"Projects ({len(expected)} of 23)" in [s.value for s in at.subheader]
    assert any("Filters active: 8 of 23" in c.value for c in at.sidebar.caption)


def test_sidebar_filter_widgets_change_the_table(shipped):
    at = run_page("pages/signings.py", "zh")
    at.multiselect(key="fw_status").set_value(["landed"]).run()
    assert not at.exception
    assert len(at.dataframe[0].value) == (shipped["projects"]["status"] == "landed").sum()
    at.button[0].click().run()  # reset
    assert len(at.dataframe[0].value) == 23


def test_filters_follow_the_visitor_to_the_map():
    at = run_page("pages/signings.py", "zh")
    at.multiselect(key="fw_sector").set_value(["carbon_finance"]).run()
    at.switch_page("pages/map.py").run()
    assert not at.exception
    assert at.session_state["filters"].sectors == ("carbon_finance",)
    assert at.multiselect(key="fw_sector").value == ["carbon_finance"]


def test_undisclosed_amounts_show_as_such():
    at = run_page("pages/signings.py", "zh")
    amounts = at.dataframe[0].value["amount"].tolist()
    assert "未披露" in amounts and "0亿元" not in amounts


def test_finance_calculator_uses_the_rate_from_metrics():
    at = run_page("pages/finance.py", "en")
    at.number_input[0].set_value(250.0).run()
    values = {m.label: m.value for m in at.metric}
    assert values["Interest red packet earned"] == "CNY 500.00"
