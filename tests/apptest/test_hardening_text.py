"""Issue 15: text from the data reaches markdown, a terminal and spreadsheets only as text;
encodings are recognised or asked about; leftovers of crashes and odd disks are handled
(findings 5, 7, 9, 10 and 11)."""

from __future__ import annotations

import errno
import io
import json
import os
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pytest
from streamlit.testing.v1 import AppTest

from shahu.content import markup
from shahu.content.markup import md
from shahu.content.tables import ProductTile
from shahu.core.i18n import CATALOGUE
from shahu.data import change_plan, store, templates
from shahu.data.exports import neutralise, undefuse
from shahu.data.metrics import Kpi, headline
from shahu.data.schemas import TABLES, Metric, Project
from shahu.data.validation import FileProblem, decode, read_csv_bytes
from shahu.ops.cli import main as cli
from shahu.ops.cli import terminal_safe
from tests.helpers import edited, page_lede, page_title, rows, run_page, snapshot

LOCK = store.LOCK_NAME

# ── markdown ───────────────────────────────────────────────────────────────────────────────


J = "\u2060"  # an invisible word joiner: GFM autolinks bare URLs even after escapes


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("see http://evil.example/a_b", rf"see http{J}://evil.example/a\_b"),
        ("www.evil.example", f"www{J}.evil.example"),
        ("_www.evil.example/login", rf"\_www{J}.evil.example/login"),  # `_` is a word character
        (":material/verified: Official", f":{J}material/verified: Official"),  # no icon
        (":smile: hi", f":{J}smile: hi"),  # no emoji
        ("staff@evil.example", f"staff{J}@evil.example"),
        ("![x](https://evil.example/p.png)", rf"\!\[x\](https{J}://evil.example/p.png)"),
        ("11.11 km²", r"11\.11 km²"),  # renders as 11.11
    ],
)
def test_bare_urls_do_not_autolink(text, escaped):
    """Seen in Chromium: these render as the same text with no <a> and no <img>."""
    assert md(text) == escaped


def test_a_metric_unit_with_markdown_reaches_the_page_escaped(shipped):
    metrics = shipped["metrics"].copy()
    row = metrics.index[metrics[Metric.metric] == "carbon_firms_revenue"][0]
    metrics.loc[row, Metric.unit] = "![t](https://evil.example/t.png) http://evil.example"
    metrics.loc[row, Metric.qualifier] = ""
    (kpi,) = headline(metrics, "en", ("carbon_firms_revenue",))
    assert "](https://" in kpi.value  # the value itself is data …
    shown = md(kpi.value)  # … and a metric or caption shows it through md() (figures: as HTML text)
    assert "](" not in shown.replace("\\](", "") and "http\u2060://" in shown


# ── HTML: every piece of it is built by `shahu.content.markup` ──────────────────────────────

BAD = (
    '<img src=x onerror="alert(1)"><script>alert(2)</script></style></figcaption> '
    "**bold** [x](http://evil.example) ![t](https://evil.example/t.png) &amp; 'q' \\"
)


class Parsed(HTMLParser):
    """A piece of HTML as a browser reads it: its tags, its attributes, its text."""

    def __init__(self, body: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: dict[str, list[str]] = {}
        self.text = ""
        self.feed(str(body))
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        for name, value in attrs:
            self.attrs.setdefault(name, []).append(value or "")

    def handle_data(self, data):
        self.text += data


def assert_only(body: str, tags: set[str]) -> Parsed:
    """`body` has no tag but `tags` and no event handler: nothing in the data became markup."""
    parsed = Parsed(body)
    assert set(parsed.tags) <= tags, set(parsed.tags) - tags
    assert not [a for a in parsed.attrs if a.startswith("on")]
    return parsed


def test_headline_figures_reach_the_page_as_text():
    """Every page's headline figures go through `markup.figures_grid` (blocks.metric_row): markup
    in a label, value, source, note or block key is shown as written, not obeyed."""
    from shahu.core.paths import ROOT

    block = markup.figures_grid([Kpi("m", BAD, BAD + "v", BAD + "s")], BAD, per_row=2, note=BAD)
    parsed = assert_only(block, {"div", "p"})
    assert parsed.text == BAD + BAD + "v" + BAD + "s" + BAD  # label, value, source, note
    assert parsed.attrs["data-figures"] == [BAD]
    blocks = (ROOT / "shahu" / "ui" / "blocks.py").read_text(encoding="utf-8")
    assert "st.html(markup.figures_grid(kpis, key, per_row, note))" in blocks  # metric_row
    assert "rate=md(rate_kpi.value)" in blocks  # the calculator's metric: markdown-escaped


# ── the terminal ───────────────────────────────────────────────────────────────────────────


def test_terminal_control_codes_are_shown_not_obeyed():
    fake = "x\x1b[2J\x1b[H\r全部数据有效\n\u202egnp.exe\x9b31m"
    safe = terminal_safe(fake)
    assert all(ord(c) >= 0x20 and c != "\x7f" for c in safe)
    assert "\\x1b[2J" in safe and "\\x0d" in safe and "\\u202e" in safe and "\\x9b" in safe


def test_the_cli_never_echoes_control_codes_from_a_cell(data_dir, capsys):
    bad = "p\x1b[2J\x1b[H\r全部数据有效"
    (data_dir / "projects.csv").write_text(
        edited(data_dir, "projects", "p01", Project.sector, bad), encoding="utf-8"
    )
    assert cli(["--lang", "zh", "check", str(data_dir)]) == 1
    out, err = capsys.readouterr()
    assert "\x1b" not in out + err and "\r" not in out + err
    shown = [x for x in out.splitlines() if "\\x1b[2J" in x]
    # on the problem's own line: nothing can clear the screen or pose as "all valid"
    assert shown and all(x.startswith("projects.csv") for x in shown)
    upload = data_dir.parent / "up.csv"
    upload.write_bytes((data_dir / "projects.csv").read_bytes())
    assert cli(["import", str(upload), "--table", "projects", "--data-dir", str(data_dir)]) == 1
    out, err = capsys.readouterr()
    assert "\x1b" not in out + err


# ── spreadsheets: templates defuse formulas and round-trip exactly ─────────────────────────


@pytest.mark.parametrize(
    "value", ["=1+1 联合体", "+86 27 8888", "-", "@SUM(A1)", "＝1+1", "'=quoted", "''=twice"]
)
def test_defusing_round_trips(value):
    assert undefuse(neutralise(value)) == value
    assert neutralise(value).startswith("'")


def test_templates_defuse_formulas_and_round_trip(data_dir):
    (data_dir / "projects.csv").write_text(
        edited(data_dir, "projects", "p01", Project.company, "=1+1 联合体"), encoding="utf-8"
    )
    before = snapshot(data_dir)
    csv_template = templates.template_csv(data_dir, "projects")
    assert csv_template.startswith(b"\xef\xbb\xbf")
    assert "'=1+1 联合体" in csv_template.decode("utf-8-sig")
    xlsx_template = templates.template_xlsx(data_dir, "projects")
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_template)).active
    companies = [c.value for c in sheet["E"]] if sheet["E1"].value == "company" else []
    header = [c.value for c in sheet[1]]
    cells = [r[header.index(Project.company)] for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert "'=1+1 联合体" in cells and all(c.data_type != "f" for r in sheet for c in r)
    del companies
    for name, raw in (("p.csv", csv_template), ("p.xlsx", xlsx_template)):
        plan = change_plan.prepare(data_dir, "projects", name, raw)
        assert plan.ok and plan.unchanged, (name, plan.problems, plan.diff)
        changed = {k: c for k, c in plan.diff.changed}
        assert not changed
    assert snapshot(data_dir) == before
    _, records = rows(data_dir, "projects")
    assert records[0][Project.company] == "=1+1 联合体"


# ── encodings ──────────────────────────────────────────────────────────────────────────────


def test_windows_1252_is_recognised():
    assert decode("name,city\ncafé,crème brûlée\n".encode("cp1252")) == (
        "name,city\ncafé,crème brûlée\n"
    )


def test_western_text_that_also_decodes_as_gbk_is_asked_about_not_guessed():
    raw = "project_id,company\np1,Müller Zürich GmbH\n".encode("cp1252")
    assert raw.decode("gb18030")  # GB18030 would take it, as "M黮ler Z黵ich"
    with pytest.raises(FileProblem) as caught:
        decode(raw)
    assert caught.value.code == "encoding_ambiguous"
    _, problems = read_csv_bytes(TABLES["projects"], raw)
    (problem,) = problems
    for lang, resave in (("en", "CSV UTF-8"), ("zh", "CSV UTF-8")):
        message = problem.message(lang)
        assert "Müller" in message and "M黮ler" in message and resave in message


def test_chinese_gbk_is_still_read_as_chinese():
    text = "project_id,name_zh\np1,碳汇大厦 武汉 沙湖 长江日报\n"
    assert decode(text.encode("gb18030")) == text


# ── leftovers ──────────────────────────────────────────────────────────────────────────────


def test_stale_temp_files_in_backups_are_cleaned_on_the_next_write(data_dir):
    folder = data_dir / store.BACKUP_DIR / "projects"
    folder.mkdir(parents=True)
    stray = folder / ".20261124T093000123456Z__t.csv.k1ll3d.tmp"
    stray.write_bytes(b"half a backup")
    raw = edited(data_dir, "projects", "p01", Project.company, "新公司").encode()
    outcome = store.import_upload(data_dir, "projects", "p.csv", raw, "t")
    assert outcome.status == "written"
    assert not stray.exists()
    assert [p.name for p in folder.iterdir() if p.suffix == ".tmp"] == []


@pytest.mark.parametrize(
    ("code", "reason", "words"),
    [
        (errno.EROFS, "readonly", "read-only"),
        (errno.EACCES, "permission", "permissions"),
        (errno.ENOSPC, "full", "disk space"),
        (errno.EIO, "other", "Try again later"),
    ],
)
def test_a_failed_write_says_why(data_dir, monkeypatch, code, reason, words):
    def refuse(*args, **kwargs):
        raise OSError(code, os.strerror(code))

    before = snapshot(data_dir, skip=(LOCK,))
    monkeypatch.setattr(store.tempfile, "mkstemp", refuse)
    raw = edited(data_dir, "projects", "p01", Project.company, "新公司").encode()
    outcome = store.import_upload(data_dir, "projects", "p.csv", raw, "t")
    assert (outcome.status, outcome.reason) == ("failed", reason)
    assert words in outcome.message("en")
    if reason != "full":
        assert "disk space" not in outcome.message("en")
    assert snapshot(data_dir, skip=(LOCK,)) == before


def test_a_read_only_data_folder_is_reported_as_read_only(data_dir, monkeypatch):
    """Even the lock file cannot be made there."""
    real = store.lock

    def readonly(folder: Path, timeout: float):
        raise OSError(errno.EROFS, os.strerror(errno.EROFS))

    monkeypatch.setattr(store, "lock", readonly)
    raw = edited(data_dir, "projects", "p01", Project.company, "新公司").encode()
    outcome = store.import_upload(data_dir, "projects", "p.csv", raw, "t")
    assert outcome.reason == "readonly" and "read-only" in outcome.message("en")
    assert "只读" in outcome.message("zh")
    del real


def test_the_print_footer_carries_a_source_as_a_css_string_that_cannot_end_the_style(data_dir):
    """The footer's source line is data; it reaches the page inside a <style> element."""
    hostile = '长江日报"; } body { display: none } </style><script>alert(1)</script>'
    path = data_dir / TABLES["metrics"].filename
    text = path.read_text(encoding="utf-8").replace("长江日报 2025-09", hostile)
    path.write_text(text, encoding="utf-8")
    at = run_page("pages/data.py", "en")
    (style,) = [h.proto.body for h in at.get("html") if "--shahu-print-footer" in h.proto.body]
    assert style.count("</style>") == style.count("<style>") and "<script" not in style
    declared = style.split("--shahu-print-footer: ", 1)[1].split(";", 1)[0]
    assert declared.startswith('"Source\\3a  \\957f \\6c5f \\65e5 \\62a5 \\22 \\3b  \\7d  body')
    assert declared.endswith('"') and '"' not in declared[1:-1]


def test_sector_and_product_cards_show_markup_in_the_data_as_text():
    figures = [Kpi("m", BAD, BAD, BAD)]
    sections = [markup.Section(BAD, (BAD, BAD)), markup.Section(BAD, empty=BAD, text=BAD, note=BAD)]
    card = assert_only(
        markup.sector_summary(BAD, BAD, figures, BAD, sections),
        {"div", "h3", "p", "strong", "ul", "li", "em"},
    )
    assert card.text == BAD * (2 + 3 + 3 + 4)  # heading, text; the figure; the two sections
    products = [ProductTile(BAD, BAD + "m", BAD + "b", (BAD + "d",), "estimated")]
    grid = assert_only(markup.product_grid(products, "en"), {"div", "h4", "p", "span"})
    assert grid.text == f"{BAD}Estimated{BAD}m{BAD}b{BAD}d"  # name, badge, kind, body, detail
    assert str(markup.product_grid(products, "en")).count('<p class="shahu-small">') == 2


def test_the_investor_brief_shows_markup_in_the_data_as_text(shipped):
    from shahu.content.downloads import brief_html

    tables = dict(shipped.tables)
    for table, columns in {
        "metrics": ("label_en", "unit", "source_en"),
        "finance_products": ("name_en", "source_en"),
        "projects": ("source_en",),
    }.items():
        frame = tables[table] = tables[table].copy()
        for column in columns:
            frame.loc[frame.index[0], column] = BAD
    page = brief_html(type(shipped)(tables, shipped.layers), "en")
    parsed = Parsed(page)
    allowed = {"html", "head", "meta", "title", "style", "body", "h1", "h2", "p", "div", "ul"}
    allowed |= {"li", "b", "span", "table", "tr", "th", "td"}
    assert set(parsed.tags) <= allowed and parsed.tags.count("style") == 1
    assert parsed.text.count(BAD) >= 4  # a figure's label, value and source; a product; sources


def _qr_page() -> None:
    from shahu.ui import share

    share.qr_panel("/map", {"building": '"><img src=x onerror="alert(3)">'}, "en")


def test_the_qr_figure_shows_its_caption_and_link_as_text(monkeypatch):
    """The caption comes from the catalogue and the link from the organiser's address."""
    from shahu.content import share

    monkeypatch.setitem(CATALOGUE, "share.qr_caption", {"zh": BAD, "en": BAD})
    monkeypatch.setenv(share.PUBLIC_URL_ENV, 'https://evil.example/"><script>alert(4)</script>')
    at = AppTest.from_function(_qr_page, default_timeout=60).run()
    assert not at.exception
    (figure,) = [h.proto.body for h in at.get("html") if "shahu-qr" in h.proto.body]
    parsed = assert_only(figure, {"figure", "img", "figcaption"})
    assert parsed.text == BAD  # the caption, as written
    link = share.view_link(
        'https://evil.example/"><script>alert(4)</script>',
        "/map",
        {"building": '"><img src=x onerror="alert(3)">'},
    )
    assert parsed.attrs["data-link"] == parsed.attrs["alt"] == [link]


def _presenter_keys() -> None:
    from shahu.ui import tour

    tour._keys("en")


def test_the_clickers_words_cannot_end_the_presenters_script(monkeypatch):
    """The tour's words reach the page as JSON inside a <script>: a `</script>` in them is data."""
    monkeypatch.setitem(CATALOGUE, "tour.keys_hint", {"zh": BAD, "en": BAD})
    monkeypatch.setitem(CATALOGUE, "tour.black_label", {"zh": "</SCRIPT >", "en": "</SCRIPT >"})
    at = AppTest.from_function(_presenter_keys, default_timeout=60).run()
    assert not at.exception
    (script,) = [h.proto.body for h in at.get("html") if "shahuPresenter" in h.proto.body]
    # one element: nothing in it closes the script or opens a comment (`<script` alone is inert)
    assert script.lower().count("</script") == 1 and "<!--" not in script
    assert script.lower().startswith("<script>") and script.lower().endswith("</script>")
    config = json.loads(script.split("window.shahuPresenter = ", 1)[1].split(";\n", 1)[0])
    assert config["hint"] == BAD and config["black"] == "</SCRIPT >"


def _banner() -> None:
    from shahu.ui.blocks import samples_banner

    samples_banner("en")


def test_the_sample_banner_shows_its_words_as_text(monkeypatch):
    monkeypatch.setitem(CATALOGUE, "truth.banner", {"zh": BAD, "en": BAD})
    at = AppTest.from_function(_banner, default_timeout=60).run()
    assert not at.exception
    (banner,) = [el.value for el in at.markdown]
    assert assert_only(banner, {"div"}).text == BAD


def _uploader() -> None:
    from shahu.ui import staff

    staff.file_uploader("File", "en")


def test_the_upload_buttons_label_is_a_css_string_that_cannot_end_the_style(monkeypatch):
    hostile = '"; } body { display: none } </style><script>alert(5)</script>'
    monkeypatch.setitem(CATALOGUE, "staff.upload_button", {"zh": hostile, "en": hostile})
    at = AppTest.from_function(_uploader, default_timeout=60).run()
    assert not at.exception
    (style,) = [h.proto.body for h in at.get("html") if "stFileUploaderDropzone" in h.proto.body]
    assert style.count("<style>") == style.count("</style>") == 1 and "<script" not in style
    declared = style.split("content: ", 1)[1].split("; font-size", 1)[0]
    assert declared.startswith('"\\22 \\3b  \\7d  body') and '"' not in declared[1:-1]


def _heading_page() -> None:
    from shahu.ui.blocks import heading

    heading(
        "A *bold* <b>title</b>",
        "<script>alert(1)</script> & more ] [x](https://evil.example/i.png)",
        "",
        "second\n\nline",
    )


def test_a_heading_shows_markup_in_its_title_and_lines_as_text():
    at = AppTest.from_function(_heading_page, default_timeout=60).run()
    assert not at.exception
    (body,) = [el.value for el in at.markdown]
    assert "<script>" not in body and "<b>" not in body and "[x](" not in body
    assert "\n\nline" not in body  # a blank line would start markdown of its own
    assert page_title(at) == "A *bold* <b>title</b>"  # shown as typed, not obeyed
    assert page_lede(at) == [
        "<script>alert(1)</script> & more ] [x](https://evil.example/i.png)",
        "second line",
    ]
