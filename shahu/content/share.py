"""Links to a view for people in the room: the public address, the view's link, its QR code (SVG,
by `segno`, offline). A phone cannot open `localhost`, so the address comes from configuration
(`SHAHU_PUBLIC_URL`, or `public_url` in the secrets), never from the presenter's browser."""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit

import segno

PUBLIC_URL_ENV = "SHAHU_PUBLIC_URL"
PUBLIC_URL_SECRET = "public_url"


def public_base(value: object) -> str | None:
    """The configured public address without a trailing slash, or None if unset or not http(s)."""
    text = str(value or "").strip()
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return text.split("?")[0].split("#")[0].rstrip("/")


def view_link(base: str, path: str, params: dict[str, str]) -> str:
    """The absolute link to the view at `path` (e.g. "/map") with `params`, under `base`."""
    path = path or "/"
    query = urlencode(params)
    return f"{base}{path}?{query}" if query else f"{base}{path}"


def qr_svg_uri(link: str, scale: int = 4) -> str | None:
    """`link` as a QR code in an SVG data URI (an `<img>` source): black on white, quiet zone;
    None when no QR code holds it (a filter naming hundreds of buildings)."""
    try:
        code = segno.make(link, error="m", micro=False)
    except segno.DataOverflowError:
        return None
    return code.svg_data_uri(scale=scale, border=4, dark="#000", light="#fff")
