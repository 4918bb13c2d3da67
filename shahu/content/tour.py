"""The roadshow's guided tour: eight steps that tell the belt's story, each a deep link.

A step names its page (a `sitemap` key) and the view parameters to open it with (e.g. the map's
`building`, or the page `section` the script talks about); the presenter's title and script line
come from the i18n catalogue (`tour.<key>.*`). `KEYS` is the clicker's key map.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from shahu.core import sitemap


@dataclass(frozen=True)
class Step:
    key: str
    page: str
    params: dict[str, str] = field(default_factory=dict)


STEPS: tuple[Step, ...] = (
    Step("belt", "map"),
    Step("tanhui", "map", {"building": "tanhui"}),
    Step("firms", ""),
    Step("signings", "signings"),
    Step("sectors", "sectors"),
    Step("finance", "finance", {"section": "products"}),
    Step("citizens", "finance", {"section": "calculator"}),
    Step("invest", "finance", {"section": "institutions"}),
)

# What a presentation remote (or the keyboard) sends, and what it does: `KeyboardEvent.key` values.
KEYS: dict[str, tuple[str, ...]] = {
    "next": ("ArrowRight", "PageDown", " "),
    "back": ("ArrowLeft", "PageUp"),
    "first": ("Home",),
    "exit": ("Escape",),
    "black": ("b", "B", "."),
}
PRESENTER_PARAMS = ("present", "step")  # what makes a link open presenter mode


def clamp(index: int | str | None) -> int:
    """A valid 0-based step index from anything a URL may hold (1-based there)."""
    try:
        number = int(index) if index is not None else 1
    except (TypeError, ValueError):
        number = 1
    return min(max(number, 1), len(STEPS)) - 1


def step_target(index: int, lang: str) -> tuple[sitemap.Page, dict[str, str]]:
    """The page and query parameters that open step `index` (0-based) in presenter mode."""
    index = clamp(index + 1)
    step = STEPS[index]
    params = {"lang": lang, "present": "1", "step": str(index + 1), **step.params}
    return sitemap.page(step.page), params


def step_url(index: int, lang: str) -> str:
    """The relative deep link that opens step `index` (0-based) in presenter mode."""
    page, params = step_target(index, lang)
    return page.href(params)


def audience_params(params: dict[str, str]) -> dict[str, str]:
    """A view's parameters as a visitor opens them on a phone: the same view, not presenter mode."""
    return {k: v for k, v in params.items() if k not in PRESENTER_PARAMS}
