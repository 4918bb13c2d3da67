"""The roadshow's guided tour: eight steps that tell the belt's story, each a deep link.

A step names the page (its url_path; "" is the overview) and the view parameters to open it
with; the presenter's title and script line come from the i18n catalogue (`tour.<key>.*`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode


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


def step_url(index: int, lang: str) -> str:
    """The relative deep link that opens step `index` (0-based) in presenter mode."""
    step = STEPS[index]
    query = {"lang": lang, "present": "1", "step": str(index + 1), **step.params}
    return f"/{step.page}?{urlencode(query)}"
