"""Chart builders: data in every chart, every word translated, undisclosed never drawn as 0."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from shahu.content import charts
from shahu.core.i18n import CATALOGUE, t
from shahu.data.schemas import SECTORS, Project

KEY_LIKE = re.compile(r"\b[a-z_]+\.[a-z_0-9]+(\.[a-z_0-9]+)*\b")


def texts(fig) -> list[str]:
    """Every string in the figure's JSON: titles, axes, legends, labels, hover templates."""
    found: list[str] = []

    def walk(value):
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(json.loads(fig.to_json()))
    return found


def all_figures(shipped, lang: str, projects=None) -> dict:
    p = shipped["projects"] if projects is None else projects
    return {
        "sector_counts": charts.sector_counts(p, lang),
        "sector_amounts": charts.sector_amounts(p, lang),
        "ranked": charts.ranked(p, lang),
        "over_time": charts.over_time(p, lang),
        "users": charts.users(shipped["metrics"], lang),
        "market": charts.market(shipped["market"], lang),
    }


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_chart_has_data_for_the_shipped_data(shipped, lang):
    for name, fig in all_figures(shipped, lang).items():
        points = sum(len(tr.x) for tr in fig.data)
        assert points > 0, name
        assert fig.layout.title.text, name


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_catalogue_key_and_no_other_language_in_the_chrome(shipped, lang):
    other = "en" if lang == "zh" else "zh"
    for name, fig in all_figures(shipped, lang).items():
        for text in texts(fig):
            assert text not in CATALOGUE, (name, text)
            assert not (
                KEY_LIKE.fullmatch(text) and text.split(".")[0] in {"chart", "sector", "agg"}
            )
        chrome = [fig.layout.title.text, fig.layout.xaxis.title.text, fig.layout.yaxis.title.text]
        for text in filter(None, chrome):
            first = text.split("<br>")[0]
            assert first not in {entry[other] for entry in CATALOGUE.values()} - {
                entry[lang] for entry in CATALOGUE.values()
            }, (name, first)
    assert all_figures(shipped, lang)["ranked"].layout.title.text.startswith(
        t("chart.ranked", lang)
    )


def test_english_and_chinese_amount_units(shipped):
    p = shipped["projects"]
    zh, en = charts.ranked(p, "zh"), charts.ranked(p, "en")
    top_zh = max(max(tr.x) for tr in zh.data if len(tr.x))
    top_en = max(max(tr.x) for tr in en.data if len(tr.x))
    assert top_zh == pytest.approx(6.0) and top_en == pytest.approx(0.6)
    assert "亿元" in zh.layout.xaxis.title.text and "CNY bn" in en.layout.xaxis.title.text
    labels = [label for tr in en.data for label in tr.text]
    assert "CNY 0.6 bn" in labels and not any("亿" in label for label in labels)
    assert not any(label.endswith(" m") for label in labels)  # one unit: billions throughout


def test_ranked_leaves_out_undisclosed_and_says_how_many(shipped):
    p = shipped["projects"]
    fig = charts.ranked(p, "zh")
    shown = [pid for tr in fig.data for pid in tr.y]
    known = p[p[Project.amount_cny_100m].notna()]
    assert sorted(shown) == sorted(known[Project.project_id])
    assert t("chart.undisclosed_note", "zh", n=8) in fig.layout.title.text
    assert (
        list(fig.layout.yaxis.categoryarray)[-1]
        == known.nlargest(1, Project.amount_cny_100m)[Project.project_id].iloc[0]
    )
    assert {tr.name for tr in fig.data} == {"碳金融", "碳技术", "碳实业"} and fig.layout.showlegend


def test_ranked_shows_top_n_and_a_note_when_there_are_more(shipped):
    fig = charts.ranked(shipped["projects"], "en", top=5)
    assert sum(len(tr.y) for tr in fig.data) == 5
    assert t("chart.top_n", "en", n=5, of=15) in fig.layout.title.text


def test_nothing_disclosed_is_said_not_drawn_as_zero(shipped):
    p = shipped["projects"]
    undisclosed = p[p[Project.amount_cny_100m].isna()]
    ranked = charts.ranked(undisclosed, "en")
    assert sum(len(tr.y) for tr in ranked.data) == 0
    assert [a.text for a in ranked.layout.annotations] == [t("chart.nothing_disclosed", "en")]
    amounts = charts.sector_amounts(undisclosed, "zh")
    assert list(amounts.data[0].text) == ["未披露"] * 3
    assert "0亿元" not in texts(amounts)


def test_sector_amounts_label_each_bar_with_its_disclosed_total(shipped):
    p = shipped["projects"]
    fig = charts.sector_amounts(p, "zh")
    assert list(fig.data[0].text) == ["13.1亿元", "9.6亿元", "16.1亿元"]
    amounts = p.groupby(Project.sector)[Project.amount_cny_100m]
    expected = [[amounts.count()[s], amounts.size()[s] - amounts.count()[s]] for s in SECTORS]
    assert [list(c) for c in fig.data[0].customdata] == expected == [[6, 1], [4, 4], [5, 3]]
    assert t("chart.undisclosed_note", "zh", n=8) in fig.layout.title.text


def test_over_time_stacks_every_project_by_sector(shipped):
    fig = charts.over_time(shipped["projects"], "en")
    assert [tr.name for tr in fig.data] == [
        "Carbon finance",
        "Carbon technology",
        "Carbon industry",
    ]
    assert sum(sum(tr.y) for tr in fig.data) == 23 and fig.layout.barmode == "stack"
    assert list(fig.data[0].x) == ["23 Sep 2025"]


def test_named_by_sector_counts_reported_rows_and_quotes_the_article_for_finance(shipped):
    reported = shipped["projects"][shipped["projects"][Project.provenance] == "reported"]
    fig = charts.sector_counts(reported, "zh")
    assert fig.data[0].orientation == "h" and len(fig.data) == 1  # no sample segment
    counts = dict(zip(fig.data[0].y, fig.data[0].x, strict=True))
    assert counts == {"碳实业": 2, "碳技术": 3, "碳金融": 0}
    assert [a.text for a in fig.layout.annotations] == ["多个绿色金融合作项目"]
    assert "含示例数据" not in fig.layout.title.text


def test_sample_rows_are_marked_in_title_watermark_and_a_hatched_segment(shipped):
    fig = charts.sector_counts(shipped["projects"], "en")
    assert fig.layout.title.text.split("<br>")[0].endswith(t("truth.title_suffix", "en"))
    assert t("truth.watermark", "en") in [a.text for a in fig.layout.annotations]
    sample = fig.data[1]
    assert sample.name == "Sample" and sample.marker.pattern.shape == "/"
    assert sum(sample.x) == 18
    for build in (charts.sector_amounts, charts.ranked, charts.over_time):
        assert t("truth.watermark", "zh") in [
            a.text for a in build(shipped["projects"], "zh").layout.annotations
        ]


def test_market_chart_draws_the_reported_years(shipped):
    fig = charts.market(shipped["market"], "zh")
    volume, close, average = fig.data
    assert list(volume.x) == ["2021", "2022", "2023", "2024", "2025"]
    assert list(volume.y) == pytest.approx([1.79, 0.508895, 2.12, 1.89, 2.35])
    assert dict(zip(close.x, close.y, strict=True)) == {
        "2021": 54.22,
        "2022": 55.0,
        "2023": 79.42,
        "2024": 97.49,
    }
    assert dict(zip(average.x, average.y, strict=True)) == {"2025": 62.36}  # no close for 2025
    en = charts.market(shipped["market"], "en")
    assert en.data[0].y[0] == pytest.approx(179.0) and "million t" in en.data[0].name
    assert "含示例" not in fig.layout.title.text


@pytest.mark.parametrize(
    ("lang", "labels"), [("zh", ["3万", "190万"]), ("en", ["30,000", "1.9 million"])]
)
def test_users_chart_reads_both_rows_from_metrics(shipped, lang, labels):
    fig = charts.users(shipped["metrics"], lang)
    assert list(fig.data[0].text) == labels
    assert list(fig.data[0].x)[0] == t("truth.two_years_earlier", lang)  # no invented date
    assert "2023" not in " ".join(texts(fig))
    assert fig.layout.yaxis.range[1] > max(fig.data[0].y)  # the top label is not clipped


def test_csv_text_is_escaped_before_plotly_renders_it(shipped):
    p = shipped["projects"].copy()
    evil = '<a href="https://evil.example">x</a><img src=x>'
    p.loc[p[Project.project_id] == "p06", ["name_zh", "name_en"]] = evil
    for fig in (charts.ranked(p, "zh"), charts.ranked(p, "en")):
        joined = " ".join(texts(fig))
        assert "<a href" not in joined and "<img" not in joined and "&lt;a href" in joined


@pytest.mark.parametrize(
    ("text", "width", "expected"),
    [
        ("Short", 22, "Short"),
        ("Sample: Green-finance cooperation A", 22, "Sample: Green-finance<br>cooperation A"),
        ("示例：绿色金融合作项目 A", 26, "示例：绿色金融合作项目 A"),
        (
            "一二三四五六七八九十一二三四五六七八九十一二三",
            20,
            "一二三四五六七八九十<br>一二三四五六七八九…",
        ),
        ("a <b> & c", 22, "a &lt;b&gt; &amp; c"),
    ],
)
def test_wrap_breaks_long_labels_into_two_lines(text, width, expected):
    assert charts.wrap(text, width) == expected


def _values(fig) -> list[float]:
    """Every bar's length or point's value (the numeric axis of each trace)."""
    out: list[float] = []
    for tr in fig.data:
        numeric = tr.x if tr.orientation == "h" else tr.y
        out += [float(v) for v in (numeric if numeric is not None else ())]
    return out


def test_an_empty_selection_draws_no_project_and_keeps_the_context_charts(shipped):
    """Filters that match nothing: project charts show nothing (all zero), never stale bars;
    the charts that don't depend on the selection stay exactly as they were."""
    empty = pd.DataFrame(shipped["projects"].iloc[0:0])
    full = all_figures(shipped, "en")
    for name, fig in all_figures(shipped, "en", empty).items():
        if name in ("users", "market"):
            assert fig.to_json() == full[name].to_json(), name
        else:
            assert sum(_values(fig)) == 0, name
            title = fig.layout.title.text.split("<br>")[0]  # no sample row drawn: no sample mark
            assert full[name].layout.title.text.startswith(title), name
            assert t("truth.title_suffix", "en") not in title, name


def test_every_year_of_the_market_chart_names_its_own_source(shipped):
    """Figures from other reports are shown each with its source (FACTS.md): the line under the
    chart names the source of every year it draws, and none of a figure it does not draw."""
    text = charts.market_sources(shipped["market"], "en")
    assert text.startswith("Sources, year by year: 2021 ")
    assert (
        "2024 As publicly reported: Shanghai Environment and Energy Exchange (reprinted by" in text
    )
    assert "ICAP" not in text  # 2024's average price: the chart draws that year's closing price
    zh = charts.market_sources(shipped["market"], "zh")
    assert "2025 据公开报道：上海环境能源交易所（lvxunhk.com）" in zh
