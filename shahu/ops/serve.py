"""`python -m shahu.ops.serve [streamlit options]`: `streamlit run app.py`, ready before the first visit.

Streamlit imports a script's modules on its first run, inside the first visitor's page load: for
us about 0.9 s of imports (folium, streamlit-folium, plotly, geopandas, pandera) before that
visitor sees anything. For a presenter the first visit is the one on the projector, so `make run`
starts the server through here: the same modules are imported, and the shipped data read once,
before Streamlit starts listening; and once its runtime exists, the data cache the first visitor
would fill is filled. Options after the command go to `streamlit run` unchanged.
"""

from __future__ import annotations

import gc
import importlib
import logging
import sys
import threading
import time

from shahu.core.paths import ROOT

APP = ROOT / "app.py"

# What the pages import, and what Streamlit loads lazily for them. Not `streamlit_folium`: a
# component declared outside a script run is never registered with the server (the map would not
# load), so the first run imports it and finds its heavy dependencies (folium, the components API)
# loaded. Not `shahu.ui.cache` either: its caches want the runtime, so `fill_cache_when_ready` imports it.
WARM_MODULES = (
    "folium",
    "folium.plugins",
    "streamlit.components.v1",
    "plotly.graph_objects",
    "shahu.content.charts",
    "shahu.map.folium_map",
    "shahu.content.downloads",
    "shahu.data.exports",
    "shahu.content.tables",
    "shahu.data.metrics",
    "shahu.data.history",  # with the store, the change plan and the upload reader
    "shahu.data.templates",
    "streamlit.emojis",
    "streamlit.material_icon_names",
    "PIL.PngImagePlugin",
)

log = logging.getLogger("shahu.ops.serve")


def warm() -> float:
    """Import what the pages need and read the data once (first-read costs); seconds taken.

    Nothing here may stop the server from starting: a bad data file is the app's to report.
    """
    from shahu.core.paths import data_dir, geo_dir
    from shahu.data.dataset import load_dataset

    start = time.perf_counter()
    for name in WARM_MODULES:
        importlib.import_module(name)
    try:
        load_dataset(data_dir(), geo_dir())
    except Exception:  # reported on the page by the app itself, with what to do
        log.warning("the data could not be read ahead; the app will report it", exc_info=True)
    return time.perf_counter() - start


def settle() -> None:
    """Put what start-up made (modules, the data read once) out of the garbage collector's way.

    Those objects live as long as the server, yet every full collection would walk them again:
    with a room of phones opening the app at once, about a tenth of the server's CPU went on
    collections, most of it on them. `gc.freeze()` (Python's own remedy for long-lived servers)
    leaves the collector only what visits create.
    """
    gc.collect()
    gc.freeze()


def fill_cache_when_ready(timeout_s: float = 60.0) -> threading.Thread:
    """In the background: once Streamlit's runtime exists, load the dataset into its cache.

    `st.cache_data` keeps what is computed after the runtime has started (see Streamlit's own
    advice on warming caches in an `st.App` lifespan), so this waits for it, within a bound.
    """

    def fill() -> None:
        from streamlit import runtime

        deadline = time.monotonic() + timeout_s
        while not runtime.exists():
            if time.monotonic() > deadline:
                return
            time.sleep(0.05)  # the server is starting in the main thread
        try:
            from shahu.ui import cache

            cache.dataset()
        except Exception:  # the first visitor's run reports any problem with the data
            log.warning("the data cache could not be filled ahead", exc_info=True)

    thread = threading.Thread(target=fill, name="shahu-fill-cache", daemon=True)
    thread.start()
    return thread


def main(argv: list[str] | None = None) -> None:
    """Warm, then hand over to Streamlit's own command line (which exits with its status)."""
    from streamlit.web import cli

    warm()
    settle()
    fill_cache_when_ready()
    cli.main(
        args=["run", str(APP), *(sys.argv[1:] if argv is None else argv)], prog_name="streamlit"
    )


if __name__ == "__main__":
    main()
