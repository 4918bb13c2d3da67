"""Issue 11 on the running app: every figure a visitor reads is true, samples are marked, English
is complete. Walks every investor page with AppTest."""

from __future__ import annotations

import json
import math
import re

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from shahu.core.i18n import t
from shahu.core.paths import DEFAULT_DATA_DIR, DEFAULT_GEO_DIR
from shahu.data import samples
from shahu.data.dataset import load_dataset
from shahu.data.schemas import Market, Project
from shahu.ui import share as ui_share
from tests.facts import FACTS, stray_chinese
from tests.helpers import (
    PUBLIC_PAGES,
    assert_clean,
    open_link,
    open_part,
    open_tab,
    page_parts,
    sign_in,
    staff_page,
    visible_texts,
)
from tests.helpers import (
    figures as headline_figures,
)

TABS = page_parts(PUBLIC_PAGES)  # a walk over the pages opens every tab of each
NO_FIGURES = {  # the tabs that show no metric (a map, a table, charts, lists)
    ("pages/map.py", None),
    ("pages/signings.py", "table"),
    ("pages/signings.py", "charts"),
    ("pages/sectors.py", "projects"),
    ("pages/finance.py", "institutions"),
    ("pages/updates.py", None),  # the list of data updates: dates and row counts, no figures
}

# How the same figure reads in another unit: CNY bn (÷10), 1.9 million (÷100), 30,000 (×10⁴),
# 179 million t (×100).
SCALES = (1, 0.1, 0.01, 100, 10_000)
NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


def run(
    page: str | None, lang: str, part: str | None = None, *, samples_on: bool = False, **params
) -> AppTest:
    """`page` opened on its tab `part` (None: the first), as by `?lang=…&section=part`."""
    key = page.removeprefix("pages/").removesuffix(".py") if page else ""
    samples_param = {"samples": "1"} if samples_on else {}
    tab = {"section": part} if part else {}
    at = open_link(key, lang=lang, **samples_param, **tab, **params)
    assert_clean(at)
    if part:
        assert open_tab(at) == t(f"section.{key}.{part}", lang)  # that tab is open
    return at


def allowed_numbers(data_dir=DEFAULT_DATA_DIR) -> set[float]:
    """FACTS.md figures, and counts of (or derived from) reported rows."""
    ds = samples.visible(load_dataset(data_dir, DEFAULT_GEO_DIR), False)
    projects = ds["projects"]
    counts = {len(projects), *projects[Project.sector].value_counts().tolist(), 0}
    counts |= {23 - len(projects)}  # signed (FACTS) minus named in public
    firms = ds["market"][ds["market"][Market.series] == "tanhui_firms"][Market.value]
    counts |= {float(firms.max() - firms.min())}  # 碳汇大厦: 94 − 72
    counts |= {len(ds["institutions"]), len(ds["finance_products"])}
    counts |= {float(v) for v in projects[Project.amount_cny_100m].dropna()}
    disclosed = projects[Project.amount_cny_100m].dropna()
    if len(disclosed):
        counts.add(float(disclosed.sum()))
    return FACTS | {float(c) for c in counts}


def is_allowed(number: float, allowed: set[float]) -> bool:
    return any(math.isclose(number, f * k, rel_tol=1e-3) for f in allowed for k in SCALES)


def figures(at: AppTest) -> list[str]:
    """Every figure's value (and a metric's delta) on the page: headline cards and metrics."""
    out = []
    for metric in at.metric:
        out.append(str(metric.value))
        if metric.delta:
            out.append(str(metric.delta))
    out = [text.replace("\\", "") for text in out]  # metric values go through markdown escaping
    return out + [f.value for f in headline_figures(at)]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize(("page", "part"), TABS)
def test_every_figure_is_a_fact_or_a_count_of_reported_rows(page, part, lang):
    at = run(page, lang, part)
    allowed = allowed_numbers()
    shown = figures(at)
    assert shown or (page, part) in NO_FIGURES
    for text in shown:
        for number in NUMBER.findall(text.replace("2025", "")):
            assert is_allowed(float(number.replace(",", "")), allowed), (page, text)
    texts = " ".join(visible_texts(at))
    assert t("truth.banner", lang) not in texts
    assert "示例：" not in texts and "Sample:" not in texts


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_signings_without_samples_say_what_is_known(lang):
    at = run("pages/signings.py", lang)
    texts = " ".join(visible_texts(at))
    assert (
        "23 个项目签约 · 5 个已公开名称 · 18 个名称未见报道"
        if lang == "zh"
        else "23 projects signed · 5 named in public · 18 not named in the reports we cite"
    ) in texts
    assert t("truth.amount_undisclosed", lang) in figures(at)
    assert len(open_part(at, "table").dataframe[0].value) == 5


def test_sectors_without_samples_show_the_named_projects_and_the_article(shipped):
    at = run("pages/sectors.py", "zh")
    texts = " ".join(visible_texts(at))
    assert "多个绿色金融合作项目" in texts and "汽车碳足迹开发平台" in texts
    assert named_counts(at) == ["0", "3", "2"]
    assert "%" not in " ".join(figures(at))  # no share of a sample-made total


def named_counts(at: AppTest) -> list[str]:
    return [f.value for f in headline_figures(at) if f.label == t("truth.named_metric", "zh")]


def chart_texts(at: AppTest) -> list[str]:
    return [
        json.dumps(json.loads(c.proto.spec), ensure_ascii=False) for c in at.get("plotly_chart")
    ]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize(("page", "part"), TABS)
def test_with_samples_on_every_page_says_so_and_each_chart_using_them_is_marked(page, part, lang):
    at = run(page, lang, part, samples_on=True)
    assert t("truth.banner", lang) in " ".join(visible_texts(at))
    for spec in chart_texts(at):
        if "Sample" in spec or "示例" in spec:
            assert t("truth.watermark", lang) in spec
    assert at.query_params.get("samples") in ("1", ["1"])  # a copied link keeps the choice


def test_signings_with_samples_on_mark_the_total_and_the_table():
    at = run("pages/signings.py", "zh", samples_on=True)
    marked = [f for f in headline_figures(at) if t("truth.metric_suffix", "zh") in f.label]
    assert marked and marked[0].value == "38.8亿元"
    open_part(at, "table")
    assert any(t("truth.title_suffix", "zh") in s.value for s in at.subheader)
    assert len(at.dataframe[0].value) == 23
    links = at.dataframe[0].value["building"].dropna()
    assert len(links) and links.str.contains("samples=1").all()  # the map opens with samples


def test_the_sample_switch_in_the_sidebar_updates_the_link():
    at = run("pages/signings.py", "en", "table")
    assert len(at.dataframe[0].value) == 5
    at.session_state[ui_share.PANEL_KEY] = True  # the sidebar's panel, opened
    at.run().toggle(key="samples_switch").set_value(True).run()
    assert at.query_params.get("samples") in ("1", ["1"])
    assert len(at.dataframe[0].value) == 23
    at.session_state[ui_share.PANEL_KEY] = False  # closed again: the switch is not drawn …
    at.run()
    assert not at.toggle and len(at.dataframe[0].value) == 23  # … and samples stay on
    at.run()
    assert at.query_params.get("samples") in ("1", ["1"]) and len(at.dataframe[0].value) == 23


def test_with_samples_on_the_sidebar_panel_opens_by_itself_to_show_the_switch():
    at = run("pages/signings.py", "en", samples_on=True)
    assert at.toggle(key="samples_switch").value is True


def test_staff_page_always_counts_the_sample_rows_left(data_dir):
    at = sign_in(staff_page("zh"), "zh")
    texts = " ".join(visible_texts(at))
    assert t("truth.staff_samples", "zh", n=23, tables="签约项目 18 · 机构 5") in texts


def test_pages_fill_in_when_staff_add_reported_rows(data_dir):
    path = data_dir / "projects.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    extra = frame.iloc[:1].copy()
    extra[Project.project_id] = ["r24"]
    extra[Project.name_zh] = ["绿色金融合作项目（某银行）"]
    extra[Project.name_en] = ["Green-finance cooperation (a bank)"]
    extra[Project.sector] = ["carbon_finance"]
    extra[Project.amount_cny_100m] = ["5"]
    pd.concat([frame, extra]).to_csv(path, index=False)
    at = run("pages/signings.py", "zh")
    assert "23 个项目签约 · 6 个已公开名称 · 17 个名称未见报道" in " ".join(visible_texts(at))
    assert "5亿元" in figures(at)
    sectors = run("pages/sectors.py", "zh")
    assert named_counts(sectors) == ["1", "3", "2"]
    assert "5亿元" in figures(sectors)
    for page, part in TABS:
        at = run(page, "zh", part)
        allowed = allowed_numbers(data_dir)
        for text in figures(at):
            for number in NUMBER.findall(text.replace("2025", "")):
                assert is_allowed(float(number.replace(",", "")), allowed), (page, text)


@pytest.mark.parametrize("samples_on", [False, True])
@pytest.mark.parametrize(("page", "part"), TABS)
def test_english_pages_have_no_chinese_but_names_beside_their_english(page, part, samples_on):
    at = run(page, "en", part, samples_on=samples_on)
    texts = visible_texts(at)
    texts += [str(getattr(el.proto, "label", "")) for el in at.get("download_button")]
    for frame in at.dataframe:
        texts += [str(v) for v in frame.value.astype(str).to_numpy().ravel()]
    texts += chart_texts(at)
    assert stray_chinese(texts) == []
    plural = [s for s in texts if "(s)" in s]
    assert plural == []
