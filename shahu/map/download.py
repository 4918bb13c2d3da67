"""The map as one offline HTML file: Leaflet, its plugins, their stylesheets and images
inlined, so it opens in any browser with no internet and no server."""

from __future__ import annotations

import base64
import mimetypes
import re
from pathlib import Path

from shahu.map import assets

_VENDOR_URL = re.compile(re.escape(assets.URL_PREFIX) + r"/([\w./-]+)")
_SCRIPT_TAG = re.compile(r'<script src="(' + re.escape(assets.URL_PREFIX) + r'/[^"]+)"></script>')
_LINK_TAG = re.compile(
    r'<link rel="stylesheet" href="(' + re.escape(assets.URL_PREFIX) + r'/[^"]+)"/>'
)
_CSS_URL = re.compile(r"url\(['\"]?(?!data:|#)([^'\")]+)['\"]?\)")


def _vendor_path(url: str) -> Path:
    rel = url[len(assets.URL_PREFIX) + 1 :]
    path = (assets.VENDOR_DIR / rel).resolve()
    if assets.VENDOR_DIR.resolve() not in path.parents:
        raise ValueError(f"not a vendored asset: {url}")
    return path


def _data_uri(path: Path) -> str:
    mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode()}"


def _inline_css(path: Path) -> str:
    css = path.read_text(encoding="utf-8")

    def embed(match: re.Match) -> str:
        target = (path.parent / match.group(1)).resolve()
        return f"url({_data_uri(target)})" if target.is_file() else match.group(0)

    return _CSS_URL.sub(embed, css)


def inline_assets(html: str) -> str:
    """Replace every link to a vendored script or stylesheet by its content."""

    def script(match: re.Match) -> str:
        code = _vendor_path(match.group(1)).read_text(encoding="utf-8")
        return "<script>" + code.replace("</script", "<\\/script") + "</script>"

    def style(match: re.Match) -> str:
        return "<style>" + _inline_css(_vendor_path(match.group(1))) + "</style>"

    html = _SCRIPT_TAG.sub(script, html)
    html = _LINK_TAG.sub(style, html)
    if _VENDOR_URL.search(html):
        raise ValueError("a vendored asset is still linked, not inlined")
    return html


def map_html(m) -> str:
    """A folium map as one self-contained HTML document (no server, no internet)."""
    return inline_assets(m.get_root().render())
