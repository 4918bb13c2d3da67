"""Text from the data stays text when Streamlit renders it as markdown."""

from __future__ import annotations

import pytest

from shahu.core.formatting import md


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
