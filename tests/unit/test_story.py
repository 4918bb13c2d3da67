"""Issue 25, deliverable 3: the overview's “Why Sha Lake” points are rows of story.csv, validated
like every table (a length limit, no HTML or script), escaped like every data text."""

from __future__ import annotations

import pytest

from shahu.content.markup import md_bold
from shahu.content.story import story
from shahu.core.i18n import t
from shahu.data import samples
from shahu.data.schemas import STORY_MAX_CHARS, TABLES
from shahu.data.store import import_upload
from shahu.data.validation import read_csv_bytes
from tests.helpers import edited, rows, snapshot

# The overview's story exactly as the catalogue held it before it became data (issue 25).
BEFORE = {
    "zh": """\
- **中碳登**（全国碳排放权注册登记结算中心）2021年7月落户沙湖畔，在**碳汇大厦**负责全国碳市场的注册、登记和清结算，全国 3768 家工业企业的碳排放权在此流转。
- 依托中碳登和**湖北碳排放权交易中心**两大平台，中环联合、中国国检等“双碳国家队”陆续来到武昌。
- 发展路径：**碳金融—碳服务—碳科技**；“新三区融合”：滨江数创走廊、环大学创新发展带、环沙湖双碳经济带。
- 目标“两区一中心”：全国碳金融和“双碳”服务业集聚区、全国低碳应用场景先行示范区、“双碳”经济国际交往与展示中心。""",  # noqa: E501
    "en": """\
- **The national registry (中碳登)**, the national carbon emission allowance registry and settlement centre, settled by Sha Lake in July 2021. From the **Carbon Sink Building (碳汇大厦)** it runs registration, registry, clearing and settlement for the national carbon market; the allowances of 3,768 industrial firms flow through it.
- Around it and the **Hubei Emission Exchange**, national players such as China Environmental United Certification Center (中环联合) and China Certification & Inspection Group (中国国检) have come to Wuchang.
- The path: **carbon finance → carbon services → carbon technology**, within the “new three zones” model (riverside digital corridor, university innovation belt, Sha Lake dual-carbon belt).
- The goal, “two zones, one centre”: a national hub for carbon finance and dual-carbon services, a national pilot zone for low-carbon applications, and an international centre for the dual-carbon economy.""",  # noqa: E501
}
SPEC = TABLES["story"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_shipped_story_reads_as_the_catalogue_did(shipped, lang):
    shown = story(samples.visible(shipped, False), lang)
    assert shown.points == BEFORE[lang]
    source = "长江日报 2025-09" if lang == "zh" else "Changjiang Daily, 2025-09"
    assert shown.sources == t("overview.story_sources", lang, sources=source)


def test_every_shipped_point_is_reported_with_the_article_as_its_source(shipped):
    frame = shipped["story"]
    assert len(frame) == 4
    assert set(frame["provenance"]) == {"reported"}
    assert set(frame["source"]) == {"长江日报 2025-09"}


def test_points_follow_their_order_and_a_point_not_reported_says_so(shipped):
    frame = shipped["story"].copy()
    frame.loc[frame.index[0], "order"] = 9
    frame.loc[frame.index[1], "provenance"] = "estimated"
    ds = shipped.__class__({**shipped.tables, "story": frame}, shipped.layers)
    lines = story(ds, "en").points.splitlines()
    assert lines[0].startswith("- Around it") and lines[0].endswith("(Estimated)")
    assert lines[-1].startswith("- **The national registry")


def test_sample_points_reach_no_visitor_unless_samples_are_on(shipped):
    frame = shipped["story"].copy()
    frame.loc[frame.index[0], "provenance"] = "illustrative"
    ds = shipped.__class__({**shipped.tables, "story": frame}, shipped.layers)
    assert "中碳登**（" not in story(samples.visible(ds, False), "zh").points
    assert "(sample)" in story(samples.visible(ds, True), "en").points.splitlines()[0].lower()


def test_bold_is_kept_and_every_other_markup_is_literal():
    assert md_bold("**中碳登**在**碳汇大厦**") == "**中碳登**在**碳汇大厦**"
    shown = md_bold("<b>x</b> [a](http://x.y) ![i](y) **open")
    assert "<" not in shown.replace("\\<", "") and "\\[a\\]" in shown and "\\*\\*open" in shown
    assert md_bold("# heading\n- item") == "\\# heading - item"  # one line, no block markup


def check(text_zh: str = "沙湖", text_en: str = "Sha Lake"):
    raw = (
        "point_id,order,text_zh,text_en,provenance,source\n"
        f'a,1,"{text_zh}","{text_en}",reported,长江日报 2025-09\n'
    )
    return read_csv_bytes(SPEC, raw.encode())


def test_a_point_at_the_limit_passes_and_one_over_is_refused_with_what_to_do():
    frame, problems = check("字" * STORY_MAX_CHARS)
    assert frame is not None and problems == []
    _, [problem] = check("字" * (STORY_MAX_CHARS + 1))
    assert (problem.code, problem.line, problem.column) == ("too_long", 2, "text_zh")
    zh, en = problem.render("zh"), problem.render("en")
    assert f"{STORY_MAX_CHARS + 1} 个字符" in zh and f"{STORY_MAX_CHARS} 个" in zh and "拆成" in zh
    assert f"{STORY_MAX_CHARS + 1} characters" in en and "Shorten it" in en
    assert "line 2" in en and "column text_zh" in en


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        "沙湖<b>碳</b>",
        "</p>",
        "<!-- x -->",
        "<img src=x onerror=alert(1)>",
        "<?php echo 1 ?>",
    ],
)
def test_html_or_script_in_a_point_is_refused(text):
    _, problems = check(text_en=text)
    assert [(p.code, p.line, p.column) for p in problems] == [("markup", 2, "text_en")]
    assert "**" in problems[0].message("en") and "HTML" in problems[0].message("zh")


@pytest.mark.parametrize("text", ["a < b", "<5%", "**粗体**", "3 > 2", "A&B", "< img>"])
def test_plain_text_with_angle_brackets_or_bold_passes(text):
    assert check(text_en=text)[1] == []


@pytest.mark.parametrize("column", ["text_zh", "text_en"])
@pytest.mark.parametrize("value", ["x" * (STORY_MAX_CHARS + 1), "<script>x</script>", ""])
def test_a_bad_point_is_refused_on_import_and_nothing_is_written(data_dir, column, value):
    before = snapshot(data_dir)
    raw = edited(data_dir, "story", "path", column, value).encode()
    outcome = import_upload(data_dir, "story", "story.csv", raw, "amy")
    assert outcome.status == "invalid"
    [problem] = outcome.plan.problems
    assert (problem.line, problem.column) == (4, column)  # the header is line 1
    assert snapshot(data_dir) == before


def test_a_good_story_imports_and_the_overview_follows(data_dir):
    raw = edited(data_dir, "story", "goal", "text_en", "A **new** goal.").encode()
    assert import_upload(data_dir, "story", "story.csv", raw, "amy").status == "written"
    assert rows(data_dir, "story")[1][-1]["text_en"] == "A **new** goal."


def test_no_building_role_is_written_in_the_code():
    """Each building's role is data (buildings.csv role_zh/role_en), never catalogue or code."""
    from shahu.core.i18n import CATALOGUE
    from shahu.core.paths import DEFAULT_DATA_DIR

    header, records = rows(DEFAULT_DATA_DIR, "buildings")
    assert {"role_zh", "role_en"} <= set(header)
    texts = {v for entry in CATALOGUE.values() for v in entry.values()}
    roles = {r[c] for r in records for c in ("role_zh", "role_en") if r[c]}
    assert roles and not any(role in text for role in roles for text in texts)
