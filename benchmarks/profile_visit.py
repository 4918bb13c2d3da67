"""`python -m benchmarks.profile_visit [--page map] [--visits 20]`: where a first visit's CPU goes.

Starts the app as `make run` does, but with every script run profiled (cProfile, in the script
thread where the page runs), sends `--visits` new sessions one after another over the protocol
(`benchmarks.load`), and prints: the server's CPU per visit, the script thread's share of it,
and the functions that cost the most, cumulative, over those visits. The first visit after start
(imports) is made before profiling begins.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import shutil
import signal
import sys
import tempfile
import threading
import time
from pathlib import Path

from shahu import replicas
from shahu.paths import ROOT


def _serve_profiled(out: Path) -> None:
    """In the server process: profile script runs after SIGUSR1; write the stats on SIGUSR2."""
    from streamlit.runtime.scriptrunner import script_runner

    stats = cProfile.Profile()
    lock = threading.Lock()
    script_cpu = [0.0, 0]
    profiling = [False]
    real = script_runner.ScriptRunner._run_script

    def run_script(self, rerun_data):
        if not profiling[0]:
            return real(self, rerun_data)
        with lock:  # cProfile cannot profile two threads at once: runs are serialised here
            start = time.thread_time()
            stats.enable()
            try:
                return real(self, rerun_data)
            finally:
                stats.disable()
                script_cpu[0] += time.thread_time() - start
                script_cpu[1] += 1

    def start(*_):
        profiling[0] = True

    def dump(*_):
        stats.dump_stats(out)
        out.with_suffix(".cpu").write_text(f"{script_cpu[0]} {script_cpu[1]}")

    script_runner.ScriptRunner._run_script = run_script
    signal.signal(signal.SIGUSR1, start)
    signal.signal(signal.SIGUSR2, dump)  # Streamlit has its own SIGTERM handler
    from shahu import serve

    serve.main(sys.argv[1:])


async def _visits(url: str, page: str, n: int) -> None:
    """`n` first visits one after another, while one other visitor stays connected.

    With no session connected Streamlit drops its compiled scripts; in a room there always is one.
    """
    from benchmarks import load

    _, keeper = await load.visit(url, page, "", 120, keep=True)
    try:
        for _ in range(n):
            visit = await load.visit(url, page, "", 120)
            assert visit.error is None, visit.error
    finally:
        await keeper.close()


def main(argv: list[str] | None = None) -> int:
    from benchmarks import load

    parser = argparse.ArgumentParser(prog="python -m benchmarks.profile_visit", description=__doc__)
    parser.add_argument("--page", default="map")
    parser.add_argument("--visits", type=int, default=20)
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--save", type=Path, help="keep the profile here (for pstats, snakeviz)")
    args = parser.parse_args(argv)
    port = replicas.free_port()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "visit.prof"
        cmd = [sys.executable, "-m", "benchmarks.profile_visit", "--serve", str(out)]
        cmd += replicas.app_command(port)[3:]
        with replicas.process(cmd, None, ROOT / "test-output" / "profile.log") as proc:
            url = f"http://127.0.0.1:{port}"
            replicas.wait_healthy(url, proc)
            load.warm_up([url], args.page)
            proc.send_signal(signal.SIGUSR1)
            time.sleep(0.5)  # the signal is handled between bytecodes of the main thread
            before = load.cpu_seconds([proc.pid])
            load.run(_visits(url, args.page, args.visits))
            cpu = load.cpu_seconds([proc.pid]) - before
            proc.send_signal(signal.SIGUSR2)
            deadline = time.monotonic() + 30
            while not out.with_suffix(".cpu").exists() and time.monotonic() < deadline:
                time.sleep(0.1)  # the server writes the stats between two bytecodes
        script_s, runs = (float(x) for x in out.with_suffix(".cpu").read_text().split())
        text = io.StringIO()
        pstats.Stats(str(out), stream=text).sort_stats("cumulative").print_stats(args.top)
        if args.save:
            shutil.copyfile(out, args.save)
    print(f"page /{args.page}: {args.visits} first visits, one at a time")
    print(f"server CPU per visit: {cpu / args.visits * 1000:.0f} ms (profiler on)")
    print(f"script thread CPU per run: {script_s / max(runs, 1) * 1000:.0f} ms over {runs:.0f}")
    print(text.getvalue())
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--serve":
        out_path = Path(sys.argv[2])
        sys.argv = [sys.argv[0], *sys.argv[3:]]
        _serve_profiled(out_path)
    else:
        sys.exit(main())
