"""The one place that builds markup: HTML for the page and the map's popups, on markupsafe.

Every value that reaches HTML goes through `html()` (escaped unless already `Markup`), JSON for a
`<script>` through `script_json`, text for Streamlit markdown through `md`; nothing else escapes.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

import markupsafe


class Markup(markupsafe.Markup):
    """HTML we made, every data string in it escaped. `st.html` takes it as it is through
    `_repr_html_` (a plain string it first looks up on the file system)."""

    __slots__ = ()

    def _repr_html_(self) -> str:
        return str(self)


def escape(value: object) -> Markup:
    """`value` as HTML text (`Markup` passes through unchanged)."""
    return Markup.escape(value)


def html(template: str, /, **values: object) -> Markup:
    """`template` (our own markup, never data) with each `{name}` filled by `values`, escaped."""
    return Markup(template).format(**values)


def join(parts: Iterable[object], separator: str = "") -> Markup:
    """`parts` one after another, each escaped unless already `Markup`."""
    return Markup(separator).join(parts)


def script_json(value: object) -> Markup:
    """`value` as JSON to put inside a `<script>`: `<`, `>` and `&` are escapes, so no string in
    it can close the script (`</script>`) or open a comment."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))
