"""The map's web files from our own origin (no CDN, no internet): Leaflet and its plugins copied
from XStatic (the fullscreen plugin from npm by `make assets`) into static/vendor, and joined with
ours (static/map) into one script, `MAP_JS`: streamlit-folium loads scripts one after another."""

from __future__ import annotations

import base64
import functools
import shutil
from dataclasses import dataclass
from pathlib import Path

import xstatic.pkg.jquery as xs_jquery
import xstatic.pkg.leaflet as xs_leaflet
import xstatic.pkg.leaflet_markercluster as xs_cluster

from shahu.content import markup
from shahu.core.paths import STATIC_DIR, VENDOR_DIR

# Relative to the page that loads them, the map component's frame `<base>/component/<name>/index.html`,
# so the map finds them behind a path prefix (`server.baseUrlPath`) as well as at the root.
STATIC_URL = "../../app/static"
URL_PREFIX = f"{STATIC_URL}/vendor"
MAP_DIR = STATIC_DIR / "map"  # the map's own scripts and styles, kept with the code


@dataclass(frozen=True)
class Asset:
    """One web file: where it comes from, where it is served, and whether it is JS or CSS.
    Vendored files live under static/vendor, ours (`own`) under static/."""

    name: str
    package_dir: Path | None
    relpath: str
    kind: str
    own: bool = False

    @property
    def path(self) -> Path:
        return (STATIC_DIR if self.own else VENDOR_DIR) / self.relpath

    @property
    def url(self) -> str:
        return f"{STATIC_URL if self.own else URL_PREFIX}/{self.relpath}"


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
# The map's behaviours, one file each; every one defines a function on `window.shahuMap`.
MAP_SCRIPTS = tuple(
    Asset(f"shahu_{name}", None, f"map/{name}.js", "js", own=True)
    for name in ("points", "road_labels", "legend", "furniture", "frame", "marker_access")
)


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
    """The scripts inside `MAP_JS`, in load order (Leaflet first: the others extend it; ours last)."""
    optional = (FULLSCREEN_JS,) if fullscreen_available() else ()
    return (LEAFLET_JS, JQUERY_JS, CLUSTER_JS, *optional, *MAP_SCRIPTS)


def map_bundle() -> bytes:
    """`MAP_JS`'s content: each bundled script, named and closed with `;` so none runs into the next."""
    parts = [
        f"/* {a.relpath} */\n".encode() + a.path.read_bytes().rstrip() + b"\n;\n" for a in bundled()
    ]
    return b"".join(parts)


def installed() -> bool:
    """Every vendored file in place, and `MAP_JS` up to date with the scripts (ours change with
    the code)."""
    files = all(asset.path.exists() for asset in (*PACKAGED, MAP_JS))
    return files and MAP_JS.path.read_bytes() == map_bundle()


def map_style(name: str) -> markup.Markup:
    """`static/map/<name>` as a `<style>` element: inline, so the first framing measures the
    names and the legend with their styles applied."""
    return markup.stylesheet(MAP_DIR / name)


def fullscreen_available() -> bool:
    return FULLSCREEN_JS.path.exists() and FULLSCREEN_CSS.path.exists()


def pairs(*assets: Asset) -> list[tuple[str, str]]:
    """folium's (name, url) form for an element's `default_js` / `default_css`."""
    return [(a.name, a.url) for a in assets]


@functools.cache
def favicon_uri() -> str:
    """The tab icon as a data URI, sent with the page config: given a file, `st.set_page_config`
    decodes and files it again on every run (docs/PERFORMANCE.md item 10)."""
    data = base64.b64encode((STATIC_DIR / "favicon.png").read_bytes()).decode("ascii")
    return f"data:image/png;base64,{data}"
