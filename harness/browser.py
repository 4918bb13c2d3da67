"""Driving the app from outside: a real Streamlit server and headless Debian Chromium via Playwright.

Every request that leaves localhost is blocked and recorded, like a venue with dead Wi-Fi.
We wait for Streamlit the way its own e2e suite does, never with sleep.
"""

from __future__ import annotations

import os
import subprocess
from contextlib import contextmanager
from pathlib import Path

from shahu.core.paths import ROOT
from shahu.ops.replicas import app_command, free_port, wait_healthy

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SHOTS_DIR = ROOT / "test-output" / "screenshots"
MAP_FRAME = "iframe[title='streamlit_folium.st_folium']"
LOCAL_PREFIXES = ("http://localhost", "http://127.0.0.1", "data:", "blob:", "about:")
SERVER_PIDS: dict[str, int] = {}  # base URL → process id, for memory readings (benchmark)


@contextmanager
def streamlit_server(
    env_overrides: dict[str, str] | None = None,
    timeout: float = 60.0,
    args: tuple[str, ...] = (),
    base_path: str = "",
):
    """Start the app as `make run` does (`shahu.ops.serve`) on a free loopback port; yield its URL; stop it.

    `args` are more Streamlit options, e.g. ("--secrets.files", path); `base_path` serves the app
    under a path prefix (`server.baseUrlPath`), as behind a proxy, and is part of the URL yielded.
    """
    port = free_port()
    env = {**os.environ, **(env_overrides or {})}
    if base_path:
        args = (*args, "--server.baseUrlPath", base_path)
    cmd = app_command(
        port, extra=("--server.headless", "true", "--server.fileWatcherType", "none", *args)
    )
    (ROOT / "test-output").mkdir(exist_ok=True)
    log = open(ROOT / "test-output" / f"streamlit-{port}.log", "w")  # noqa: SIM115
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}" + (f"/{base_path}" if base_path else "")
    try:
        try:
            wait_healthy(base, proc, timeout)
        except RuntimeError as e:
            raise RuntimeError(f"streamlit did not start ({e}); see {log.name}") from None
        SERVER_PIDS[base] = proc.pid
        yield base
    finally:
        SERVER_PIDS.pop(base, None)
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def block_offsite(context) -> list[str]:
    """Abort every request that is not to this machine; return the list of attempts."""
    attempts: list[str] = []

    def route(r):
        url = r.request.url
        if url.startswith(LOCAL_PREFIXES):
            return r.continue_()
        attempts.append(url)
        return r.abort()

    context.route("**/*", route)
    return attempts


def wait_for_app(page, timeout: float = 60_000) -> None:
    """Connected, then the script finished: the e2e suite's own readiness signal."""
    page.wait_for_selector(
        "[data-testid=stApp][data-test-connection-state=CONNECTED]", timeout=timeout
    )
    page.wait_for_selector(
        "[data-testid=stApp][data-test-script-state=notRunning]", timeout=timeout
    )


def map_frame(page, index: int = 0):
    return page.frame_locator(MAP_FRAME).nth(index)


def wait_for_map(page, index: int = 0, timeout: float = 30_000):
    """The Leaflet map inside the component iframe, once drawn."""
    frame = map_frame(page, index)
    frame.locator(".leaflet-container").wait_for(timeout=timeout)
    frame.locator(".leaflet-overlay-pane path").first.wait_for(timeout=timeout)
    return frame


def screenshot(page, name: str) -> Path:
    SHOTS_DIR.mkdir(parents=True, exist_ok=True)
    path = SHOTS_DIR / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
