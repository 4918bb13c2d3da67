"""`python -m benchmarks.profile_visit [--page map] [--visits 20] [--cpu-only] [--floor]`: where a
first visit's CPU goes.

Starts the app as `make run` does, but with every script run profiled (cProfile, in the script
thread where the page runs), sends `--visits` new sessions one after another over the protocol
(`benchmarks.load`), and prints: the server's CPU per visit, the script thread's share of it,
and the functions that cost the most, cumulative, over those visits. The first visit after start
(imports) is made before profiling begins.

cProfile slows calls down and serialises the runs, so its totals are not the server's real cost:
with `--cpu-only` nothing is profiled and only the CPU is read (the script thread's from
`time.thread_time`, the server's from /proc), which splits a visit into the page's script run and
the rest (session, websocket, sending). `--floor` does the same for the framework's floor page
(`benchmarks/floor_app.py`), for comparison; `--at-once` sends the visits together (the QR moment).
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

from shahu.core.paths import ROOT
from shahu.ops import replicas


def _serve_profiled(out: Path, argv: list[str]) -> None:
    """In the server process: profile script runs after SIGUSR1; write the stats on SIGUSR2.

    `argv`: `[--cpu-only] [--floor] streamlit options`."""
    from streamlit.runtime.scriptrunner import script_runner

    cpu_only, floor = "--cpu-only" in argv, "--floor" in argv
    argv = [a for a in argv if a not in ("--cpu-only", "--floor")]
    stats = cProfile.Profile()
    lock = threading.Lock()
    script_cpu = [0.0, 0]
    profiling = [False]
    real = script_runner.ScriptRunner._run_script

    def run_script(self, rerun_data):
        if not profiling[0]:
            return real(self, rerun_data)
        if cpu_only:
            start = time.thread_time()
            try:
                return real(self, rerun_data)
            finally:
                with lock:
                    script_cpu[0] += time.thread_time() - start
                    script_cpu[1] += 1
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
    if floor:
        from streamlit.web import cli

        from benchmarks.load import FLOOR_APP

        sys.argv = ["streamlit", "run", str(FLOOR_APP), *argv]
        cli.main()
    else:
        from shahu.ops import serve

        serve.main(argv)


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
    parser.add_argument("--cpu-only", action="store_true", help="no profiler: the real CPU, split")
    parser.add_argument("--floor", action="store_true", help="the floor page instead of the app")
    parser.add_argument(
        "--at-once", action="store_true", help="visits arrive together, not in turn"
    )
    args = parser.parse_args(argv)
    page = "" if args.floor else args.page
    modes = [flag for flag, on in (("--cpu-only", args.cpu_only), ("--floor", args.floor)) if on]
    port = replicas.free_port()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "visit.prof"
        cmd = [sys.executable, "-m", "benchmarks.profile_visit", "--serve", str(out), *modes]
        cmd += replicas.app_command(port)[3:]
        with replicas.process(cmd, None, ROOT / "test-output" / "profile.log") as proc:
            url = f"http://127.0.0.1:{port}"
            replicas.wait_healthy(url, proc)
            load.warm_up([url], page)
            proc.send_signal(signal.SIGUSR1)
            time.sleep(0.5)  # the signal is handled between bytecodes of the main thread
            before = load.cpu_seconds([proc.pid])
            if args.at_once:
                load.run(load.arrive(url, args.visits, 0.0, page))
            else:
                load.run(_visits(url, page, args.visits))
            cpu = load.cpu_seconds([proc.pid]) - before
            proc.send_signal(signal.SIGUSR2)
            deadline = time.monotonic() + 30
            while not out.with_suffix(".cpu").exists() and time.monotonic() < deadline:
                time.sleep(0.1)  # the server writes the stats between two bytecodes
        script_s, runs = (float(x) for x in out.with_suffix(".cpu").read_text().split())
        text = io.StringIO()
        if not args.cpu_only:
            pstats.Stats(str(out), stream=text).sort_stats("cumulative").print_stats(args.top)
        if args.save and not args.cpu_only:
            shutil.copyfile(out, args.save)
    per_visit, per_run = cpu / args.visits * 1000, script_s / max(runs, 1) * 1000
    print(
        f"{'floor page' if args.floor else 'page'} /{page}: {args.visits} first visits, one at a time"
    )
    if args.cpu_only:
        print(
            f"server CPU per visit: {per_visit:.1f} ms: the script run {per_run:.1f} ms, ", end=""
        )
        print(f"the rest {per_visit - per_run:.1f} ms (session, websocket, sending)")
        return 0
    print(f"server CPU per visit: {per_visit:.0f} ms (profiler on)")
    print(f"script thread CPU per run: {per_run:.0f} ms over {runs:.0f}")
    print(text.getvalue())
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--serve":
        _serve_profiled(Path(sys.argv[2]), sys.argv[3:])
    else:
        sys.exit(main())
