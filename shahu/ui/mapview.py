"""The belt map on a page: `st_folium`'s component, its arguments rendered once per view and
shared by every visitor (docs/PERFORMANCE.md items 2 and 20). Imported by pages only, within a
script run: a component declared outside one is never registered with the server."""

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
    """What `st_folium` would send for `spec` (view, key, height, returned objects), recorded once
    per view and shared read-only (a plain LRU cache: item 20); lists go on as tuples, the same
    JSON, which the component does not walk looking for a dataframe."""
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
    """`st_folium(build(), key, height, container width, returned_objects)`, rendered once per
    `view`, which must name all the map depends on (data stamp, language, base map, filters,
    selection): `build` runs only for a view not rendered before."""
    args = _args((repr(view), key, height, tuple(returned_objects)), build)  # a str hashes fast
    return _COMPONENT(**{**args, "default": copy.deepcopy(args["default"])})
