"""Leaflet and its plugins served from the app's own origin, so the map works with no internet.

`install()` copies the files from the installed XStatic packages into `static/vendor/` (served
by Streamlit at `<base>/app/static/vendor/…`); nothing is committed and nothing loads from a CDN.
The fullscreen plugin, which is not on PyPI, is fetched from the npm registry by `make assets`;
without it the map simply has no fullscreen button.

The map's scripts are also joined into one file, `MAP_JS`: streamlit-folium loads a map's
scripts one after another, so four files cost four round trips before the map can start.
"""

from __future__ import annotations

import base64
import functools
import shutil
from dataclasses import dataclass
from pathlib import Path

import xstatic.pkg.jquery as xs_jquery
import xstatic.pkg.leaflet as xs_leaflet
import xstatic.pkg.leaflet_markercluster as xs_cluster

from shahu.core.paths import STATIC_DIR, VENDOR_DIR

# Relative to the page that loads them, the map component's frame `<base>/component/<name>/index.html`,
# so the map finds them behind a path prefix (`server.baseUrlPath`) as well as at the root.
URL_PREFIX = "../../app/static/vendor"


@dataclass(frozen=True)
class Asset:
    """One vendored file: where it comes from, where it is served, and whether it is JS or CSS."""

    name: str
    package_dir: Path | None
    relpath: str
    kind: str

    @property
    def path(self) -> Path:
        return VENDOR_DIR / self.relpath

    @property
    def url(self) -> str:
        return f"{URL_PREFIX}/{self.relpath}"


LEAFLET_JS = Asset("leaflet", Path(xs_leaflet.BASE_DIR), "leaflet/leaflet.js", "js")
LEAFLET_CSS = Asset("leaflet_css", Path(xs_leaflet.BASE_DIR), "leaflet/leaflet.css", "css")
JQUERY_JS = Asset("jquery", Path(xs_jquery.BASE_DIR), "jquery/jquery.min.js", "js")
CLUSTER_JS = Asset(
    "markerclusterjs", Path(xs_cluster.BASE_DIR), "markercluster/leaflet.markercluster.js", "js"
)
CLUSTER_CSS = Asset(
    "markerclustercss", Path(xs_cluster.BASE_DIR), "markercluster/MarkerCluster.css", "css"
)
CLUSTER_DEFAULT_CSS = Asset(
    "markerclusterdefaultcss",
    Path(xs_cluster.BASE_DIR),
    "markercluster/MarkerCluster.Default.css",
    "css",
)
FULLSCREEN_JS = Asset(
    "Control.Fullscreen.js", None, "leaflet.fullscreen/Control.FullScreen.js", "js"
)
FULLSCREEN_CSS = Asset(
    "Control.FullScreen.css", None, "leaflet.fullscreen/Control.FullScreen.css", "css"
)

PACKAGED = (LEAFLET_JS, LEAFLET_CSS, JQUERY_JS, CLUSTER_JS, CLUSTER_CSS, CLUSTER_DEFAULT_CSS)
MAP_JS = Asset("shahu_map_js", None, "shahu-map.js", "js")


def install() -> list[Path]:
    """Copy the packaged assets (and Leaflet's images) into static/vendor; idempotent."""
    written = []
    for asset in PACKAGED:
        source = asset.package_dir / Path(asset.relpath).name
        if not asset.path.exists() or asset.path.stat().st_size != source.stat().st_size:
            asset.path.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, asset.path)
            written.append(asset.path)
    images = VENDOR_DIR / "leaflet" / "images"
    if not images.exists():
        shutil.copytree(Path(xs_leaflet.BASE_DIR) / "images", images)
        written.append(images)
    bundle = map_bundle()
    if not MAP_JS.path.exists() or MAP_JS.path.read_bytes() != bundle:
        tmp = MAP_JS.path.with_suffix(".tmp")
        tmp.write_bytes(bundle)
        tmp.replace(MAP_JS.path)
        written.append(MAP_JS.path)
    return written


def bundled() -> tuple[Asset, ...]:
    """The scripts inside `MAP_JS`, in load order (Leaflet first: the others extend it)."""
    optional = (FULLSCREEN_JS,) if fullscreen_available() else ()
    return (LEAFLET_JS, JQUERY_JS, CLUSTER_JS, *optional)


def map_bundle() -> bytes:
    """`MAP_JS`'s content: each bundled script, named and closed with `;` so none runs into the next."""
    parts = [
        f"/* {a.relpath} */\n".encode() + a.path.read_bytes().rstrip() + b"\n;\n" for a in bundled()
    ]
    return b"".join(parts)


def installed() -> bool:
    return all(asset.path.exists() for asset in (*PACKAGED, MAP_JS))


def fullscreen_available() -> bool:
    return FULLSCREEN_JS.path.exists() and FULLSCREEN_CSS.path.exists()


def pairs(*assets: Asset) -> list[tuple[str, str]]:
    """folium's (name, url) form for an element's `default_js` / `default_css`."""
    return [(a.name, a.url) for a in assets]


@functools.cache
def favicon_uri() -> str:
    """The tab icon as a data URI: sent with the page config, with no file to serve or re-read.

    (Given a file, `st.set_page_config` decodes the image and files it again on every run.)
    """
    data = base64.b64encode((STATIC_DIR / "favicon.png").read_bytes()).decode("ascii")
    return f"data:image/png;base64,{data}"


@dataclass(frozen=True)
class Markup:
    """HTML we made (every data string in it escaped), for `st.html`: given a plain string,
    `st.html` first asks the file system whether the string names a file."""

    html: str

    def _repr_html_(self) -> str:
        return self.html


@dataclass(frozen=True)
class Stylesheet:
    """One of our stylesheets for `st.html`, which takes an object's `_repr_html_` as it is.

    Read once per change of the file (one `stat` per page load) rather than on every run.
    """

    path: Path

    def _repr_html_(self) -> str:
        info = self.path.stat()
        return _style_tag(self.path, info.st_mtime_ns, info.st_size)


def css_string(text: str) -> str:
    """`text` as a quoted CSS string; every character but ASCII letters, digits and spaces is a
    hex escape, so nothing in it can end the string, the rule or the `<style>` element."""
    body = "".join(
        c if c == " " or (c.isascii() and c.isalnum()) else f"\\{ord(c):x} " for c in text
    )
    return f'"{body}"'


@functools.lru_cache(maxsize=8)
def _style_tag(path: Path, mtime_ns: int, size: int) -> str:
    return f"<style>{path.read_text(encoding='utf-8')}</style>"
