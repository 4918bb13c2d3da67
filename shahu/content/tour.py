"""The roadshow's guided tour: eight steps telling the belt's story, each a deep link to a page (a
`sitemap` key) with view parameters (the map's `building`, a `section`); each step's title and
script are `tour.<key>.*` in the catalogue, the signings step's filled from the newest event.
`KEYS` is the clicker's key map."""

from __future__ import annotations

from dataclasses import dataclass, field

from shahu.content import events
from shahu.content.markup import md
from shahu.core import sitemap
from shahu.core.i18n import t
from shahu.data.dataset import Dataset


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


def words(ds: Dataset, index: int, lang: str) -> tuple[str, str]:
    """Step `index`'s (0-based) title and script as markdown; the signings step tells the
    newest event (its text from events.csv escaped)."""
    key = STEPS[clamp(index + 1)].key
    if key == "signings":
        return tuple(md(text) for text in events.tour_words(ds, lang))
    return t(f"tour.{key}.title", lang), t(f"tour.{key}.script", lang)


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
