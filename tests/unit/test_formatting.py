"""Text from the data stays text when Streamlit renders it as markdown."""

from __future__ import annotations

import pytest

from shahu.content import markup
from shahu.content.markup import md


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("[x](http://evil)", "\\[x\\](http\u2060://evil)"),
        ("![i](http://evil/x.png)", "\\!\\[i\\](http\u2060://evil/x.png)"),
        ("<b>bold</b>", r"\<b\>bold\</b\>"),
        ("$x^2$", r"\$x^2\$"),
        ("- item", r"\- item"),
        ("1. one", r"1\. one"),
        ("# h", r"\# h"),
        ("`code`", r"\`code\`"),
        ("碳汇大厦 Dual-carbon 1.5", "碳汇大厦 Dual-carbon 1.5"),
    ],
)
def test_markdown_from_data_stays_text(text, escaped):
    assert md(text) == escaped


def test_markdown_takes_html_only_as_markup():
    """`st.markdown` gets HTML only through `markup.markdown_args`, and only HTML we made."""
    with pytest.raises(TypeError):
        markup.markdown_args("<b>data</b>")
    made = markup.html("<b>{text}</b>", text="<i>data</i>")
    assert markup.markdown_args(made) == {
        "body": "<b>&lt;i&gt;data&lt;/i&gt;</b>",
        "unsafe_allow_html": True,
    }
