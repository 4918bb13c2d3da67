"""The roadshow's guided tour: eight steps that tell the belt's story, each a deep link.

A step names its page (a `sitemap` key) and the view parameters to open it with; the
presenter's title and script line come from the i18n catalogue (`tour.<key>.*`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from shahu import sitemap


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
    Step("finance", "finance"),
    Step("citizens", "finance", {"focus": "calculator"}),
    Step("invest", "finance", {"focus": "institutions"}),
)


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
