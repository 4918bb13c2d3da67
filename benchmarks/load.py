"""`python -m benchmarks.load`: the QR moment, measured at the protocol level.

A room of phones opens the dashboard within seconds. Each simulated visitor does what the
browser does before it sees anything: it loads the page (which sets Streamlit's XSRF cookie and,
behind HAProxy, the replica cookie), opens Streamlit's websocket `/_stcore/stream` with those
cookies, asks for the page's first script run (`BackMsg.rerun_script`, Streamlit's own protobufs)
and waits for `script_finished`. No browser: what is measured is the server.

Reported per run: sessions finished, errors (a failed connection, a run that did not finish, an
exception or error box on the page), p50 / p95 / max seconds from arrival to a finished first run,
and the server's CPU seconds per visit (user + system, from /proc of the server processes). The
same run against a minimal Streamlit page (`benchmarks/floor_app.py`: the framework's floor, same
settings, same machine, same moment) makes the result a ratio that holds on a noisy machine.
Loopback only; every wait is bounded.
"""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import json
import math
import os
import platform
import statistics
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import connect

from shahu.core.paths import ROOT
from shahu.ops import replicas

FLOOR_APP = Path(__file__).with_name("floor_app.py")
XSRF_COOKIE = "_streamlit_xsrf"
VISIT_TIMEOUT_S = 180.0
MAX_MESSAGE = 64 * 2**20
ROUNDS = 12  # per-page CPU: bursts per page, each beside one against the floor (see `per_page`)
PAGES = ("", "map", "signings", "sectors", "finance", "data")  # "" is the overview at "/"


@dataclass
class Visit:
    """One visitor's first page: seconds from arrival to a finished script run, or an error."""

    seconds: float = math.nan
    error: str | None = None
    replica: str | None = None  # HAProxy's replica name, when there is one in front
    framed: bool = False  # the run drew a sidebar: the page ran inside app.py, not on its own
    texts: list[str] = field(default_factory=list, repr=False)


async def http_get(url: str, cookies: dict[str, str]) -> tuple[int, list[tuple[str, str]], int]:
    """A plain HTTP/1.1 GET, gzip welcome: status, headers and the body's size as sent (the body
    itself is dropped)."""
    parts = urlsplit(url)
    reader, writer = await asyncio.open_connection(parts.hostname, parts.port or 80)
    try:
        cookie = "; ".join(f"{k}={v}" for k, v in cookies.items())
        request = (
            f"GET {parts.path or '/'}{'?' + parts.query if parts.query else ''} HTTP/1.1\r\n"
            f"Host: {parts.netloc}\r\nAccept-Encoding: gzip\r\nConnection: close\r\n"
            + (f"Cookie: {cookie}\r\n" if cookie else "")
            + "\r\n"
        )
        writer.write(request.encode("latin-1"))
        await writer.drain()
        head = await reader.readuntil(b"\r\n\r\n")
        size = len(await reader.read())
    finally:
        writer.close()
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = [tuple(s.strip() for s in ln.split(":", 1)) for ln in lines[1:] if ":" in ln]
    return status, headers, size


def _set_cookies(headers: list[tuple[str, str]], jar: dict[str, str]) -> None:
    for name, value in headers:
        if name.lower() == "set-cookie":
            key, _, val = value.split(";", 1)[0].partition("=")
            jar[key.strip()] = val.strip()


def _header(headers, name: str) -> str | None:
    return next((v for k, v in headers if k.lower() == name.lower()), None)


def rerun_message(page: str, query: str, base_url: str) -> bytes:
    """The BackMsg the frontend sends for a page's first run (App.tsx: sendRerunBackMsg)."""
    msg = BackMsg()
    state = msg.rerun_script
    state.query_string = query
    state.page_name = page
    state.context_info.timezone = "Asia/Shanghai"
    state.context_info.timezone_offset = -480
    state.context_info.locale = "zh-CN"
    state.context_info.url = f"{base_url}/{page}{'?' + query if query else ''}"
    return msg.SerializeToString()


def page_texts(msg: ForwardMsg) -> Iterator[tuple[str, str]]:
    """(kind, text) for what a delta puts on the page that a test may look for."""
    if msg.WhichOneof("type") != "delta" or msg.delta.WhichOneof("type") != "new_element":
        return
    el = msg.delta.new_element
    kind = el.WhichOneof("type")
    if kind == "exception":
        yield "error", f"{el.exception.type}: {el.exception.message}"
    elif kind == "alert":
        yield ("error" if el.alert.format == Alert.ERROR else "alert"), el.alert.body
    elif kind in ("markdown", "heading", "text"):
        yield kind, getattr(el, kind).body
    elif kind == "metric":
        yield kind, f"{el.metric.label} {el.metric.body}"
    elif kind == "dataframe":
        yield kind, el.dataframe.arrow_data.data.decode("utf-8", "replace")


class Session:
    """One browser tab's worth of protocol: cookies, one websocket, script runs on demand."""

    def __init__(self, base: str, page: str = "", query: str = "") -> None:
        self.base, self.page, self.query = base.rstrip("/"), page, query
        self.cookies: dict[str, str] = {}
        self.replica: str | None = None
        self.ws = None
        self.sidebar = 0  # elements drawn in the sidebar so far

    async def open(self) -> None:
        """Load the page and open the websocket, as the frontend does before its first run."""
        status, headers, _ = await http_get(f"{self.base}/{self.page}", self.cookies)
        if status != 200:
            raise RuntimeError(f"GET /{self.page}: HTTP {status}")
        _set_cookies(headers, self.cookies)
        self.replica = _header(headers, replicas.REPLICA_HEADER)
        for path in ("_stcore/health", "_stcore/host-config"):  # these set the XSRF cookie
            status, headers, _ = await http_get(f"{self.base}/{path}", self.cookies)
            _set_cookies(headers, self.cookies)
        host = urlsplit(self.base).netloc
        xsrf = [self.cookies[XSRF_COOKIE]] if XSRF_COOKIE in self.cookies else []
        self.ws = await connect(
            f"ws://{host}/_stcore/stream",
            subprotocols=["streamlit", *xsrf],
            additional_headers={"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())},
            origin=self.base,
            max_size=MAX_MESSAGE,
            open_timeout=60,
            compression=None,
        )
        served_by = self.ws.response.headers.get(replicas.REPLICA_HEADER)
        if self.replica and served_by and served_by != self.replica:
            raise RuntimeError(f"page from {self.replica}, websocket from {served_by}")
        self.replica = self.replica or served_by

    async def run(self, query: str | None = None, timeout: float = VISIT_TIMEOUT_S) -> list:
        """One script run of the page; returns what it put on the page as (kind, text) pairs."""
        if query is not None:
            self.query = query
        await self.ws.send(rerun_message(self.page, self.query, self.base))
        texts: list[tuple[str, str]] = []
        async with asyncio.timeout(timeout):
            while True:
                msg = ForwardMsg()
                msg.ParseFromString(await self.ws.recv())
                kind = msg.WhichOneof("type")
                if kind == "page_not_found":
                    texts.append(("error", f"page not found: {msg.page_not_found.page_name}"))
                elif kind == "session_event" and msg.session_event.HasField(
                    "script_compilation_exception"
                ):
                    texts.append(("error", msg.session_event.script_compilation_exception.message))
                elif kind == "script_finished":
                    if msg.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                        continue  # the page asked for a rerun: the visitor waits for that one
                    if msg.script_finished != ForwardMsg.FINISHED_SUCCESSFULLY:
                        texts.append(("error", f"script finished with {msg.script_finished}"))
                    return texts
                if kind == "delta" and msg.metadata.delta_path[:1] == [1]:
                    self.sidebar += 1
                texts.extend(page_texts(msg))

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()


async def visit(base: str, page: str, query: str, timeout: float, keep: bool = False):
    """A new visitor's first page, timed from arrival; with `keep` the session stays open."""
    start = time.perf_counter()
    session = Session(base, page, query)
    result = Visit()
    try:
        async with asyncio.timeout(timeout):
            await session.open()
            texts = await session.run(timeout=timeout)
        result.seconds = time.perf_counter() - start
        errors = [text for kind, text in texts if kind == "error"]
        result.error = errors[0] if errors else None
        result.texts = [text for _, text in texts]
    except Exception as err:  # every failure is counted, none stops the run
        result.error = f"{type(err).__name__}: {err}"
    result.replica = session.replica
    result.framed = session.sidebar > 0
    if not keep:
        await session.close()
        return result
    return result, session


async def arrive(
    base: str,
    sessions: int,
    spread_s: float = 0.0,
    page: str = "map",
    query: str = "",
    timeout: float = VISIT_TIMEOUT_S,
) -> list[Visit]:
    """`sessions` new visitors, all at once (`spread_s` 0) or arriving evenly over `spread_s`."""

    async def one(i: int) -> Visit:
        await asyncio.sleep(i * spread_s / sessions)
        return await visit(base, page, query, timeout)

    return list(await asyncio.gather(*(one(i) for i in range(sessions))))


def run(coro):
    """`asyncio.run(coro)` in a thread of its own: safe where an event loop already runs (e.g.
    beside Playwright's sync API in the same test session)."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


def cpu_seconds(pids: Sequence[int]) -> float:
    """CPU seconds (user + system) the processes have used so far."""
    total = 0.0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def peak_mb(pids: Sequence[int]) -> float:
    """The processes' peak resident memory so far (VmHWM), summed, in MB."""
    total = 0
    for pid in pids:
        status = Path(f"/proc/{pid}/status").read_text().splitlines()
        total += next((int(ln.split()[1]) for ln in status if ln.startswith("VmHWM:")), 0)
    return total / 1024


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (no interpolation: p95 of 100 is the 95th value)."""
    ordered = sorted(values)
    if not ordered:
        return math.nan
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


def measure(
    base: str,
    pids: Sequence[int],
    sessions: int,
    spread_s: float,
    page: str,
    query: str = "",
    framed: bool = False,
) -> dict:
    """One load run and its summary: finished, errors, p50/p95/max s, server CPU per visit.

    With `framed` (the app, not the floor) a run that drew no sidebar counts as an error: the
    page ran without app.py, which would be cheaper and wrong."""
    before, start, client = cpu_seconds(pids), time.perf_counter(), time.process_time()
    visits = run(arrive(base, sessions, spread_s, page, query))
    for v in visits:
        if framed and v.error is None and not v.framed:
            v.error = "the page ran without app.py (no sidebar)"
    wall, cpu = time.perf_counter() - start, cpu_seconds(pids) - before
    client = time.process_time() - client  # the simulated phones share the server's cores
    done = [v.seconds for v in visits if v.error is None]
    errors = [v.error for v in visits if v.error is not None]
    return {
        "sessions": sessions,
        "spread_s": spread_s,
        "page": page,
        "finished": len(done),
        "errors": len(errors),
        "first_error": errors[0] if errors else None,
        "p50_s": statistics.median(done) if done else math.nan,
        "p95_s": percentile(done, 95),
        "max_s": max(done, default=math.nan),
        "wall_s": wall,
        "cpu_s": cpu,
        "cpu_per_visit_s": cpu / sessions,
        "client_cpu_s": client,
        "peak_mb": peak_mb(pids),
        "replicas": sorted({v.replica for v in visits if v.replica}),
    }


def warm_up(urls: Sequence[str], page: str) -> None:
    """One visit straight to each process: first-ever imports are a start-up cost, not a visit's."""
    for url in urls:
        result = run(visit(url, page, "", VISIT_TIMEOUT_S))
        if result.error:
            raise RuntimeError(f"warm-up visit to {url}/{page} failed: {result.error}")


@contextmanager
def floor_server(log_dir: Path | None = None) -> Iterator[tuple[str, list[int]]]:
    """The minimal page under the same `.streamlit/config.toml` as the app, on a free port."""
    port = replicas.free_port()
    cmd = [sys.executable, "-m", "streamlit", "run", str(FLOOR_APP), "--server.port", str(port)]
    cmd += ["--server.address", "127.0.0.1", "--server.enableStaticServing", "false"]
    log = log_dir / f"floor-{port}.log" if log_dir else None
    with replicas.process(cmd, None, log) as proc:
        url = f"http://127.0.0.1:{port}"
        replicas.wait_healthy(url, proc)
        yield url, [proc.pid]


@contextmanager
def app_server(n: int, log_dir: Path | None = None) -> Iterator[tuple[str, list[int], list[str]]]:
    """The app as `make run` starts it (n = 1) or n replicas behind HAProxy (`make serve`)."""
    if n == 1:
        port = replicas.free_port()
        log = log_dir / f"app-{port}.log" if log_dir else None
        with replicas.process(replicas.app_command(port), None, log) as proc:
            url = f"http://127.0.0.1:{port}"
            replicas.wait_healthy(url, proc)
            yield url, [proc.pid], [url]
    else:
        with replicas.replicas(n, replicas.free_port(), log_dir=log_dir) as cluster:
            yield cluster.url, cluster.pids, cluster.replica_urls


def machine() -> str:
    info = Path("/proc/cpuinfo").read_text().splitlines()
    cpu = next((ln.split(":", 1)[1].strip() for ln in info if ln.startswith("model name")), "")
    return (
        f"{os.cpu_count()} cores, {cpu or platform.processor()}, Python {platform.python_version()}"
    )


def arrival(spread_s: float) -> str:
    return f"over {spread_s:.0f} s" if spread_s else "at once"


def _row(label: str, r: dict) -> str:
    return (
        f"| {label} | {r['sessions']} | {arrival(r['spread_s'])} "
        f"| {r['finished']}/{r['sessions']} | {r['errors']} | {r['p50_s']:.1f} | {r['p95_s']:.1f} "
        f"| {r['max_s']:.1f} | {r['cpu_per_visit_s'] * 1000:.0f} | {r['peak_mb']:.0f} |"
    )


def first_visit_files(url: str, page: str) -> list[str]:
    """Every HTTP request a phone's browser makes on a first visit to `page` (the page, Streamlit's
    front end and fonts, the map component's frame and scripts): paths, read once with the system
    Chromium at 390 px, offline. What the protocol runs above leave out."""
    from playwright.sync_api import sync_playwright

    from harness import browser as b

    paths: list[str] = []
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(b.CHROMIUM), args=b.CHROMIUM_ARGS)
        tab = chromium.new_context(viewport={"width": 390, "height": 844}).new_page()
        tab.on("requestfinished", lambda r: paths.append(r.url.removeprefix(url)))
        tab.goto(f"{url}/{page}")
        b.wait_for_app(tab)
        if page in ("", "map"):
            b.wait_for_map(tab)
        tab.wait_for_load_state("networkidle")
        chromium.close()
    return [p for p in paths if p.startswith("/")]


def files_burst(base: str, pids: Sequence[int], paths: Sequence[str], phones: int, cookies) -> dict:
    """`phones` fetching `paths` at once (each one after another, as over one connection):
    seconds until the last is done, bytes per phone as sent, the app processes' CPU per phone."""

    async def phone() -> int:
        return sum([(await http_get(base + path, cookies))[2] for path in paths])

    async def all_phones() -> list[int]:
        return list(await asyncio.gather(*(phone() for _ in range(phones))))

    run(all_phones())  # one phone first: a cache in front fills, as with the first real one
    before, start = cpu_seconds(pids), time.perf_counter()
    sizes = run(all_phones())
    return {
        "phones": phones,
        "files": len(paths),
        "seconds": time.perf_counter() - start,
        "mb_per_phone": statistics.fmean(sizes) / 1e6,
        "cpu_per_phone_s": (cpu_seconds(pids) - before) / phones,
    }


def files_table(url: str, pids: list[int], urls: list[str], page: str, phones: int) -> list:
    """A first visit's files for `phones` phones, from one app process directly and through
    HAProxy (which compresses them and keeps Streamlit's content-hashed ones in memory)."""
    from harness import browser as b

    if not b.CHROMIUM.exists():
        print("(no Chromium: the first visit's files were not measured)")
        return []
    paths = first_visit_files(url, page)
    pinned = {replicas.AFFINITY_COOKIE: replicas.replica_name(0)}  # as after the page's response
    print(f"\na first visit's {len(paths)} HTTP requests (/{page}), {phones} phones at once:")
    print("| served by | seconds | MB per phone on the wire | app CPU ms per phone |")
    print("|---|---:|---:|---:|")
    rows = []
    for label, base, cookies in (
        ("one app process, directly", urls[0], {}),
        ("HAProxy in front (compression, cache)", url, pinned),
    ):
        r = {"served_by": label, **files_burst(base, pids, paths, phones, cookies)}
        rows.append(r)
        print(
            f"| {label} | {r['seconds']:.1f} | {r['mb_per_phone']:.2f} "
            f"| {r['cpu_per_phone_s'] * 1000:.0f} |",
            flush=True,
        )
    print()
    return rows


def per_page(floor: tuple[str, list[int]], app: tuple[str, list[int], list[str]], n: int) -> list:
    """Server CPU per first visit on every page, as a multiple of the floor's.

    A shared machine's speed drifts within seconds, so each page's `ROUNDS` bursts of `n`
    sessions alternate with bursts against the floor page (its server idles meanwhile), and
    the ratio is of their totals: both sides of it saw the same moments.
    """
    (furl, fpids), (url, pids, urls) = floor, app
    print(f"\nper page, {n} sessions at once on 1 process, {ROUNDS} rounds beside the floor's:")
    print("| page | finished | errors | CPU ms/visit | floor ms/visit | × floor |")
    print("|---|---:|---:|---:|---:|---:|")
    rows = []
    for p in PAGES:
        warm_up(urls, p)
        runs, floors = [], []
        for _ in range(ROUNDS):
            floors.append(measure(furl, fpids, n, 0.0, "")["cpu_per_visit_s"])
            runs.append(measure(url, pids, n, 0.0, p, framed=True))
        cpu = statistics.fmean(r["cpu_per_visit_s"] for r in runs)
        r = {
            "page": p,
            "sessions": n * ROUNDS,
            "finished": sum(x["finished"] for x in runs),
            "errors": sum(x["errors"] for x in runs),
            "first_error": next((x["first_error"] for x in runs if x["first_error"]), None),
            "cpu_per_visit_s": cpu,
            "floor_cpu_per_visit_s": statistics.fmean(floors),
            "vs_floor": cpu / statistics.fmean(floors),
        }
        rows.append(r)
        print(
            f"| /{p} | {r['finished']}/{r['sessions']} | {r['errors']} | {cpu * 1000:.1f} "
            f"| {r['floor_cpu_per_visit_s'] * 1000:.1f} | {r['vs_floor']:.2f} |",
            flush=True,
        )
    print()
    return rows


def run_all(sessions: int, spread_s: float, n_replicas: int, page: str, n_per_page: int) -> dict:
    """The benchmark: floor, app on 1 process, app on n processes; at once and spread."""
    log_dir = ROOT / "test-output"
    log_dir.mkdir(exist_ok=True)
    results: dict = {"machine": machine(), "runs": [], "pages": [], "files": []}
    print(f"machine: {results['machine']}")
    print(
        "| server | sessions | arrival | finished | errors | p50 s | p95 s | max s "
        "| CPU ms/visit | peak MB |"
    )
    print("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|")

    def record(label: str, url: str, pids: list[int], page_: str, framed: bool) -> None:
        for spread in (0.0, spread_s):
            run = {"server": label, **measure(url, pids, sessions, spread, page_, framed=framed)}
            results["runs"].append(run)
            print(_row(label, run), flush=True)
            if run["first_error"]:
                print(f"  first error: {run['first_error']}", flush=True)

    with floor_server(log_dir) as floor:
        warm_up([floor[0]], "")
        record("floor page", *floor, "", framed=False)
        for n in (1, n_replicas):
            with app_server(n, log_dir) as (url, pids, urls):
                warm_up(urls, page)
                label = f"app, {n} process" + ("" if n == 1 else "es behind HAProxy")
                record(label, url, pids, page, framed=True)
                if n == 1 and n_per_page:
                    results["pages"] = per_page(floor, (url, pids, urls), n_per_page)
                if n > 1:
                    results["files"] = files_table(url, pids, urls, page, sessions)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.load", description=__doc__)
    parser.add_argument("--sessions", type=int, default=100)
    parser.add_argument("--spread", type=float, default=10.0, help="seconds to spread arrivals")
    parser.add_argument("--replicas", type=int, default=2, help="processes behind HAProxy")
    parser.add_argument("--page", default="map", help="URL path of the page ('' = overview)")
    parser.add_argument(
        "--per-page", type=int, default=20, help="sessions per page for CPU per visit (0: skip)"
    )
    parser.add_argument("--url", help="measure a running server instead (no CPU: not ours)")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)
    if args.url:
        for spread in (0.0, args.spread):
            r = measure(args.url, [], args.sessions, spread, args.page)
            print(json.dumps({k: v for k, v in r.items() if k != "cpu_s"}, default=str))
        return 0
    results = run_all(args.sessions, args.spread, args.replicas, args.page, args.per_page)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1, default=str), encoding="utf-8")
    failed = sum(r["errors"] for r in results["runs"] + results["pages"])
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
