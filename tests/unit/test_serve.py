"""The launcher behind `make run`: warms the process without tying anything to a missing runtime.

That the server it starts draws the map is covered by every browser test (`harness/browser.py`
starts the app through it).
"""

from __future__ import annotations

import gc
import json
import subprocess
import sys

from shahu.core.paths import ROOT
from shahu.ops import serve

PROBE = """
import json, sys
from shahu.ops import serve
serve.warm()
print(json.dumps(sorted(m for m in ("streamlit_folium", "shahu.ui.cache", "folium", "shahu.map.folium_map")
                        if m in sys.modules)))
"""


def run_probe(env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )


def test_warm_loads_the_heavy_modules_but_declares_no_component_and_no_cache():
    """A component declared outside a script run is never registered: the map would 404."""
    done = run_probe()
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.splitlines()[-1]) == ["folium", "shahu.map.folium_map"]
    assert "ScriptRunContext" not in done.stderr
    assert "No runtime found" not in done.stderr


def test_warm_survives_data_that_cannot_be_read(monkeypatch, caplog):
    """The server still starts (the page reports the problem); the modules are warmed anyway."""

    def unreadable(*_):
        raise OSError("disk gone")

    monkeypatch.setattr("shahu.data.dataset.load_dataset", unreadable)
    with caplog.at_level("WARNING", logger="shahu.ops.serve"):
        took = serve.warm()
    assert isinstance(took, float) and took >= 0
    assert "could not be read ahead" in caplog.text and "disk gone" in caplog.text
    assert all(name in sys.modules for name in serve.WARM_MODULES)


def test_the_launcher_runs_this_app(monkeypatch):
    seen = {}
    monkeypatch.setattr(serve, "warm", lambda: 0.0)
    monkeypatch.setattr(serve, "settle", lambda: seen.update(settled=True))
    monkeypatch.setattr(
        "streamlit.web.cli.main", lambda args, prog_name: seen.update(args=args, prog=prog_name)
    )
    serve.main(["--server.port", "8600"])
    assert seen == {
        "settled": True,
        "args": ["run", str(ROOT / "app.py"), "--server.port", "8600"],
        "prog": "streamlit",
    }


def test_settling_puts_start_up_objects_out_of_the_collectors_way():
    """What start-up made lives as long as the server: full collections no longer walk it."""
    gc.unfreeze()
    try:
        serve.settle()
        assert gc.get_freeze_count() > 10_000  # the imported modules and their objects
    finally:
        gc.unfreeze()


def test_filling_the_cache_gives_up_in_time_without_a_server():
    """Bounded: with no Streamlit runtime in this process the background fill just ends."""
    thread = serve.fill_cache_when_ready(timeout_s=0.2)
    thread.join(timeout=10)
    assert not thread.is_alive()
