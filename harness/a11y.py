"""axe-core (shipped by axe-playwright-python) over a page and its frames, WCAG 2.2 AA rules."""

from __future__ import annotations

import json

from axe_playwright_python.sync_playwright import Axe

AXE = Axe()
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
# The one scoped exclusion. Leaflet.markercluster draws its cluster bubbles (40 px) where the
# points are, so two clusters a few pixels apart overlap and axe's target-size rule (2.5.8, new
# in WCAG 2.2) measures the visible sliver between them. A cluster's only function is "zoom in
# here", which the map's own zoom buttons (and the building picker and the project table beside
# the map) also offer: 2.5.8's "equivalent" exception. The rule still runs on everything else.
EXCLUDED = {("target-size", ".marker-cluster")}


def axe_violations(page) -> list[str]:
    """axe-core over the page and its frames (the map is an iframe): one line per failing node."""
    for frame in page.frames:
        frame.evaluate(AXE.axe_script)
    options = {"runOnly": WCAG_AA, "resultTypes": ["violations"], "frameWaitTime": 10_000}
    found = page.evaluate("options => axe.run(document, options)", options)["violations"]
    return [
        f"{v['id']}: {json.dumps(n['target'], ensure_ascii=False)} {n['html'][:200]} {n['failureSummary']}"
        for v in found
        for n in v["nodes"]
        if not any(v["id"] == rule and part in n["target"][-1] for rule, part in EXCLUDED)
    ]
