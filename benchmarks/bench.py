"""`make bench`: how fast the app is at 1×, 10× and 100× the shipped data, and against a naive map.

Synthetic data is generated from the shipped CSVs (new ids, positions jittered around the
belt, references kept valid), validated like real data, and served from a temporary
`SHAHU_DATA_DIR`. Printed: per page the script's cold and warm run (median, in-process with
Streamlit's AppTest), the map's payload, the time from navigation to a drawn map in headless
Chromium (offline), the server's peak memory, and our map page against a naive one.
Loopback only; every loop is bounded.
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import folium
import pandas as pd

from shahu.core import sitemap
from shahu.core.paths import DEFAULT_DATA_DIR, ROOT
from shahu.data.change_plan import row_texts, to_csv
from shahu.data.dataset import load_tables
from shahu.data.schemas import TABLES, Building, Project

SCALES = (1, 10, 100)
SCALED = ("buildings", "projects", "institutions")
PAGES = {  # name → (file to switch to in AppTest, None for the default page; URL)
    (p.key or "overview"): (p.file if p.key else None, p.url) for p in sitemap.PAGES if not p.staff
}
WARM_RUNS = 5
BARE_MODE_LOGGERS = (
    "streamlit.runtime.scriptrunner_utils.script_run_context",
    "streamlit.runtime.caching.cache_data_api",
)
DRAW_RUNS = 5  # fresh visitors after the first visit since the server started
OFFLINE_ARGS = ["--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]  # dead Wi-Fi: no DNS
# Stamps, on the browser's clock, the animation frame in which the map's first marker is
# painted. Polling from the harness would add its own delay to every reading.
FIRST_MARKER_JS = """
(() => {
  if (window === window.top) { return; }
  const check = () => {
    if (document.querySelector('.leaflet-marker-pane > *, .leaflet-overlay-pane path')
        && document.querySelector('.leaflet-marker-icon')) {
      requestAnimationFrame(() => { window.__shahuDrawn = performance.timeOrigin + performance.now(); });
      return;
    }
    setTimeout(check, 4);
  };
  check();
})();
"""
CENTER = (30.5665, 114.3300)


def _jitter(rng: random.Random, lat: float, lon: float, km: float) -> tuple[float, float]:
    r, a = km * math.sqrt(rng.random()), rng.random() * 2 * math.pi
    return round(lat + r * math.sin(a) / 110.57, 6), round(lon + r * math.cos(a) / 95.9, 6)


def generate(scale: int, target: Path, seed: int = 7) -> Path:
    """Copy data/ into `target`, with buildings, projects and institutions repeated `scale` times."""
    rng = random.Random(seed)
    target.mkdir(parents=True, exist_ok=True)
    tables, problems, _ = load_tables(DEFAULT_DATA_DIR)
    assert not problems, problems
    for name, spec in TABLES.items():
        frame = tables[name]
        if name in SCALED and scale > 1:
            copies = []
            for k in range(scale):
                copy = frame.copy()
                suffix = "" if k == 0 else f"-{k}"
                key = spec.key[0]
                copy[key] = copy[key] + suffix
                if name != "buildings":
                    has = copy[Project.building_id] != ""
                    copy.loc[has, Project.building_id] = copy.loc[has, Project.building_id] + suffix
                if k and name == "projects":
                    copy[Project.event_id] = ""  # no event signed more than it reported
                if k:
                    for i in copy.index:
                        if name == "buildings" or not pd.isna(copy.at[i, Project.lat]):
                            lat, lon = _jitter(rng, *CENTER, km=3.0)
                            copy.at[i, Building.lat], copy.at[i, Building.lon] = lat, lon
                copies.append(copy)
            frame = pd.concat(copies, ignore_index=True)
        (target / spec.filename).write_bytes(to_csv(spec, row_texts(spec, frame)))
    _, problems, _ = load_tables(target)
    if problems:
        raise RuntimeError(f"generated data is invalid: {problems[:3]}")
    return target


def _median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


@contextmanager
def _env(**values: str):
    old = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def script_times(data: Path) -> dict[str, tuple[float, float, int]]:
    """Per page: (cold ms, warm median ms, map payload bytes) from in-process script runs."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    out = {}
    with _env(SHAHU_DATA_DIR=str(data)):
        for name, (page, _) in PAGES.items():
            st.cache_data.clear()  # and the shared objects: the dataset, figures, map arguments
            st.cache_resource.clear()
            at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
            at.run()
            if page:
                at.switch_page(page)
            start = time.perf_counter()
            at.run()
            cold = time.perf_counter() - start
            out[name] = (cold * 1000, *_reruns(at, name))
    return out


def _reruns(at, name: str) -> tuple[float, int]:
    """`WARM_RUNS` reruns of an AppTest: their median (ms) and the map's payload (bytes)."""
    warm = []
    for _ in range(WARM_RUNS):
        start = time.perf_counter()
        at.run()
        warm.append(time.perf_counter() - start)
    if at.exception:
        raise RuntimeError(f"{name}: {at.exception}")
    return _median_ms(warm), sum(
        len(el.proto.json_args.encode()) for el in at.get("component_instance")
    )


def naive_map(ds) -> folium.Map:
    """The map as a first attempt would build it: one folium.Marker with a popup per point."""
    m = folium.Map(location=CENTER, zoom_start=14)
    for frame in (ds["buildings"], ds["projects"], ds["institutions"]):
        for row in frame.dropna(subset=[Project.lat]).to_dict("records"):
            folium.Marker(
                (row[Project.lat], row[Project.lon]),
                popup=folium.Popup(str(row["name_zh"])),
                tooltip=str(row["name_zh"]),
            ).add_to(m)
    return m


NAIVE_PAGE = """
import streamlit as st
from streamlit_folium import st_folium
from benchmarks.bench import naive_map
from shahu.data.dataset import load_dataset
from shahu.core.paths import data_dir, geo_dir

st.title("naive")
st_folium(naive_map(load_dataset(data_dir(), geo_dir())), height=620)
"""


def naive_times(data: Path) -> tuple[float, int]:
    """The naive map page's warm rerun (median ms) and payload (bytes), measured like ours.

    Naive: data read on every run, one `folium.Marker` per point, `st_folium` with its
    defaults (returning everything).
    """
    from streamlit.testing.v1 import AppTest

    with _env(SHAHU_DATA_DIR=str(data)):
        at = AppTest.from_string(NAIVE_PAGE, default_timeout=600)
        at.run()
        return _reruns(at, "naive page")


def draw_times(data: Path, runs: int = DRAW_RUNS) -> tuple[float, float, float]:
    """Navigation to the first marker painted (offline Chromium), on the browser's clock.

    Returns the first visit after the server started (imports and caches cold), the median
    of `runs` fresh visitors after it (new browser profile each: nothing cached), and the
    server's peak memory in MB.
    """
    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(ROOT))
    from harness import browser as b

    samples = []
    with b.streamlit_server({"SHAHU_DATA_DIR": str(data)}) as url, sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(b.CHROMIUM), args=b.CHROMIUM_ARGS + OFFLINE_ARGS
        )
        for _ in range(runs + 1):
            context = browser.new_context(viewport={"width": 1440, "height": 1000})
            context.add_init_script(FIRST_MARKER_JS)
            page = context.new_page()
            page.goto(url + PAGES["map"][1], timeout=120_000)
            frame = b.wait_for_map(page, timeout=120_000)
            frame.locator(".leaflet-marker-icon").first.wait_for(timeout=120_000)
            drawn = _first_marker(page)
            samples.append(drawn - page.evaluate("performance.timeOrigin"))
            context.close()
        browser.close()
        peak = _peak_rss_mb(b.SERVER_PIDS[url])
    return samples[0], statistics.median(samples[1:]), peak


def _first_marker(page, timeout_ms: float = 120_000) -> float:
    """The stamp left by FIRST_MARKER_JS in the map's frame (epoch ms)."""
    frame = next(f for f in page.frames if "st_folium" in f.url)
    return frame.wait_for_function("() => window.__shahuDrawn", timeout=timeout_ms).json_value()


def _peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def load_run(data: Path, sessions: int = 25, deadline_s: float = 240) -> dict[str, float]:
    """`sessions` browser sessions at once against one server (loopback, bounded in time).

    Reports maps drawn, errors, the median and slowest session (browser clock), the server's
    peak memory, and the CPU seconds the server used against the run's wall time: the
    rest of the wall time is the one browser drawing every tab on the same two cores.
    """
    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(ROOT))
    from harness import browser as b

    times, errors = [], 0
    with b.streamlit_server({"SHAHU_DATA_DIR": str(data)}) as url, sync_playwright() as p:
        pid = b.SERVER_PIDS[url]
        browser = p.chromium.launch(
            executable_path=str(b.CHROMIUM), args=b.CHROMIUM_ARGS + OFFLINE_ARGS
        )
        cpu_before, start = _cpu_s(pid), time.perf_counter()
        pages = []
        for _ in range(sessions):
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            context.add_init_script(FIRST_MARKER_JS)
            page = context.new_page()
            page.goto(url + "/map", wait_until="commit")
            pages.append(page)
        end = start + deadline_s
        for page in pages:
            try:
                remaining = max(1.0, end - time.perf_counter()) * 1000
                b.wait_for_map(page, timeout=remaining)
                stamp = _first_marker(page, timeout_ms=remaining)
                times.append((stamp - page.evaluate("performance.timeOrigin")) / 1000)
            except Exception:  # a session that never drew its map counts as an error
                errors += 1
        wall, cpu = time.perf_counter() - start, _cpu_s(pid) - cpu_before
        browser.close()
        peak = _peak_rss_mb(pid)
    return {
        "sessions": sessions,
        "drawn": len(times),
        "errors": errors,
        "median_s": statistics.median(times) if times else float("nan"),
        "slowest_s": max(times, default=float("nan")),
        "peak_mb": peak,
        "server_cpu_s": cpu,
        "wall_s": wall,
    }


def _cpu_s(pid: int) -> float:
    """CPU seconds (user + system) a process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    mem = next(
        (
            int(line.split()[1]) // 1024 // 1024
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        ),
        0,
    )
    return f"{os.cpu_count()} cores, {mem} GiB, {cpu}, Python {platform.python_version()}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench", description=__doc__)
    parser.add_argument("--scales", default=",".join(map(str, SCALES)))
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--load", type=int, default=25, help="sessions in the load run (0: skip)")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)
    for noisy in BARE_MODE_LOGGERS:  # AppTest outside a server warns on every session and cache
        logging.getLogger(noisy).disabled = True
    scales = [int(s) for s in args.scales.split(",")]
    results: dict[str, object] = {"machine": machine(), "scales": {}}
    nan = float("nan")
    print(f"machine: {results['machine']}")
    with tempfile.TemporaryDirectory(prefix="shahu-bench-") as tmp:
        for scale in scales:
            data = generate(scale, Path(tmp) / f"x{scale}")
            rows = {n: len(pd.read_csv(data / TABLES[n].filename)) for n in SCALED}
            times = script_times(data)
            naive_ms, naive_payload = naive_times(data)
            first, fresh, peak = (nan, nan, nan) if args.no_browser else draw_times(data)
            ours = times["map"][1]
            entry = {
                "rows": rows,
                "pages": times,
                "naive_page_ms": naive_ms,
                "naive_payload": naive_payload,
                "speedup": naive_ms / ours,
                "drawn_first_visit_ms": first,
                "drawn_ms": fresh,
                "peak_mb": peak,
            }
            results["scales"][scale] = entry
            print(f"\n== {scale}× data: {rows}")
            print(f"{'page':<10}{'cold ms':>10}{'warm ms':>10}{'payload KB':>12}")
            for name, (cold, warm, payload) in times.items():
                print(f"{name:<10}{cold:>10.0f}{warm:>10.0f}{payload / 1024:>12.1f}")
            print(
                f"map drawn in offline Chromium: {fresh:.0f} ms (median of {DRAW_RUNS} fresh "
                f"visitors), {first:.0f} ms (first visit after server start); "
                f"server peak memory {peak:.0f} MB"
            )
            print(
                f"naive map page: warm {naive_ms:.0f} ms, payload {naive_payload / 1024:.1f} KB; "
                f"ours {ours:.0f} ms, {times['map'][2] / 1024:.1f} KB: {naive_ms / ours:.1f}× faster"
            )
        if args.load and not args.no_browser:
            data = Path(tmp) / f"x{max(scales)}"
            run = load_run(data, sessions=args.load)
            results["load"] = run
            print(
                f"\nload ({max(scales)}× data): {run['drawn']}/{run['sessions']} maps drawn, "
                f"{run['errors']} errors; median {run['median_s']:.1f} s, slowest "
                f"{run['slowest_s']:.1f} s; server peak {run['peak_mb']:.0f} MB, server CPU "
                f"{run['server_cpu_s']:.1f} s in {run['wall_s']:.1f} s"
            )
    if args.json:
        args.json.write_text(json.dumps(results, indent=1, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
