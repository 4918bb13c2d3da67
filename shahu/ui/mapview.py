"""The belt map on a page: `st_folium`'s component, its arguments rendered once per view.

`st_folium` renders the whole folium map to HTML and script on every call, and folium compiles
every rendered piece as a Jinja template on the way: about 60 % of a first visit's CPU on the
overview and map pages. The arguments it hands its component depend only on the map, so they are
worked out once per data fingerprint, language and view (basemap, filters, selection) and shared
by every visitor; each run then only places the component, exactly as `st_folium` would.

Imported by pages only (within a script run): a component declared outside one is never
registered with the server.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable, Hashable
from typing import Any

import cachetools
import folium
import streamlit_folium

_COMPONENT = streamlit_folium._component_func  # the real one, whatever `_args` swaps in
_SWAP = threading.Lock()


@cachetools.cached(
    cachetools.LRUCache(maxsize=64), key=lambda spec, _build: spec, condition=threading.Condition()
)
def _args(spec: tuple[str, str, int, tuple[str, ...]], _build: Callable) -> dict[str, Any]:
    """Run `st_folium` once with its component replaced by a recorder; what it would have sent.

    `spec` is (view, key, height, returned objects). Shared, read-only, one per view; a plain
    LRU cache rather than `st.cache_resource`, whose hit (hashing the key, Streamlit's own
    bookkeeping) cost about a tenth of the map's share of a first visit. Visitors who ask for
    a view while it is being built wait for that one build (`condition`).

    Lists are handed on as tuples (the same JSON): for every list or dict argument the
    component first asks whether it is a dataframe, a walk through a dozen libraries' types.
    """
    _, key, height, returned = spec
    recorded: dict[str, Any] = {}

    def record(**kwargs: Any) -> None:
        recorded.update(kwargs)

    with _SWAP:
        streamlit_folium._component_func = record
        try:
            streamlit_folium.st_folium(
                _build(),
                key=key,
                height=height,
                use_container_width=True,
                returned_objects=list(returned),
            )
        finally:
            streamlit_folium._component_func = _COMPONENT
    return {k: tuple(v) if isinstance(v, list) else v for k, v in recorded.items()}


def show(
    build: Callable[[], folium.Map],
    view: Hashable,
    *,
    key: str,
    height: int,
    returned_objects: tuple[str, ...] = (),
) -> dict | None:
    """`st_folium(build(), key, height, container width, returned_objects)`, rendered once per `view`.

    `view` must name everything the map depends on (the data's stamp, language, base map,
    filters, selection); `build` is only called when that view was not rendered before.
    """
    args = _args((repr(view), key, height, tuple(returned_objects)), build)  # a str hashes fast
    return _COMPONENT(**{**args, "default": copy.deepcopy(args["default"])})
