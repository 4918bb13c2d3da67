"""`make serve REPLICAS=N`: N app processes on loopback ports behind HAProxy, on one address, so a
room of phones gets more than one core. Each starts as `make run` does, on the same data folder
(the store's lock file serialises imports); `deploy/haproxy.cfg` is rendered with their ports."""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import string
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from shahu.core.paths import ROOT

TEMPLATE = ROOT / "deploy" / "haproxy.cfg"
FIRST_REPLICA_PORT = 8601
AFFINITY_COOKIE = "SHAHU_REPLICA"
REPLICA_HEADER = "X-Shahu-Replica"


def replica_name(i: int) -> str:
    """The name HAProxy gives replica `i` (0-based): in its cookie and its response header."""
    return f"app{i + 1}"


def _fill(bind: str, servers: str, cookie_options: str = "") -> str:
    return string.Template(TEMPLATE.read_text(encoding="utf-8")).substitute(
        bind=bind, servers=servers, cookie_options=cookie_options
    )


def render(ports: Sequence[int], bind: str) -> str:
    """deploy/haproxy.cfg with the public address and one health-checked server per port."""
    servers = "\n".join(
        f"    server {replica_name(i)} 127.0.0.1:{port} check cookie {replica_name(i)}"
        for i, port in enumerate(ports)
    )
    return _fill(bind, servers)


def render_compose(service: str = "app", port: int = 8501, slots: int = 16) -> str:
    """The compose variant (deploy/haproxy-compose.cfg): `docker compose up --scale app=N` gives N
    addresses in Docker's DNS; HAProxy fills up to `slots` servers from them, naming each cookie
    after its replica's address (`dynamic`)."""
    servers = (
        f"    server-template {service} {slots} {service}:{port} check resolvers docker"
        " init-addr none\n\n"
        "resolvers docker\n"
        "    nameserver dns 127.0.0.11:53\n"
        "    hold valid 10s\n"
        "    accepted_payload_size 8192"
    )
    options = " dynamic\n    dynamic-cookie-key shahu-replica-affinity"
    return (
        "# Rendered from deploy/haproxy.cfg by `python -m shahu.ops.replicas --compose-config`: edit that.\n"
        + _fill(f":{port}", servers, options)
    )


def haproxy() -> str:
    """The haproxy binary, or an error that says how to install it."""
    found = shutil.which("haproxy") or next(
        (p for p in ("/usr/sbin/haproxy", "/usr/local/sbin/haproxy") if Path(p).exists()), None
    )
    if not found:
        raise RuntimeError("haproxy is not installed: apt-get install haproxy (`make serve` does)")
    return found


def check_config(text: str) -> subprocess.CompletedProcess[str]:
    """`haproxy -c` on a configuration: exit 0 when HAProxy would accept it."""
    with tempfile.NamedTemporaryFile("w", suffix=".cfg", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        return subprocess.run(
            [haproxy(), "-c", "-f", f.name], capture_output=True, text=True, timeout=30
        )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(url: str, proc: subprocess.Popen, timeout: float = 90.0) -> None:
    """Poll `/_stcore/health` of a process that is starting; raise if it dies or never answers."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError(f"{url}: the process exited with {proc.returncode}") from None
            if time.monotonic() > deadline:
                raise RuntimeError(f"{url}: not healthy after {timeout:.0f} s") from None
            time.sleep(0.2)  # polling a server that is starting


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


@contextmanager
def process(cmd: list[str], env: dict[str, str] | None, log: Path | None) -> Iterator:
    """A child process, logged to `log` (or inherited output), stopped on exit."""
    with ExitStack() as stack:
        out = stack.enter_context(open(log, "w")) if log else None  # noqa: SIM115
        proc = subprocess.Popen(
            cmd,
            cwd=ROOT,
            env={**os.environ, **(env or {})},
            stdout=out,
            stderr=subprocess.STDOUT if out else None,
        )
        stack.callback(_stop, proc)
        yield proc


def app_command(port: int, address: str = "127.0.0.1", extra: Sequence[str] = ()) -> list[str]:
    """The app as `make run` starts it, on one port."""
    return [
        sys.executable,
        "-m",
        "shahu.ops.serve",
        "--server.port",
        str(port),
        "--server.address",
        address,
        *extra,
    ]


@dataclass
class Cluster:
    """What `replicas()` started: the public URL, each replica's URL and process, HAProxy's."""

    url: str
    replica_urls: list[str]
    apps: list[subprocess.Popen]
    haproxy: subprocess.Popen | None = None
    names: list[str] = field(default_factory=list)

    @property
    def pids(self) -> list[int]:
        return [p.pid for p in self.apps]


@contextmanager
def replicas(
    n: int,
    port: int,
    address: str = "127.0.0.1",
    ports: Sequence[int] | None = None,
    env: dict[str, str] | None = None,
    log_dir: Path | None = None,
    app_args: Sequence[str] = (),
) -> Iterator[Cluster]:
    """Start `n` app processes and HAProxy on `address:port` in front of them; stop all on exit."""
    ports = list(ports) if ports else [free_port() for _ in range(n)]
    with ExitStack() as stack:
        work = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="shahu-haproxy-")))
        apps = [
            stack.enter_context(
                process(
                    app_command(p, extra=app_args),
                    env,
                    log_dir / f"replica-{p}.log" if log_dir else None,
                )
            )
            for p in ports
        ]
        urls = [f"http://127.0.0.1:{p}" for p in ports]
        for url, proc in zip(urls, apps, strict=True):
            wait_healthy(url, proc)
        cfg = work / "haproxy.cfg"
        cfg.write_text(render(ports, f"{address}:{port}"), encoding="utf-8")
        proxy = stack.enter_context(
            process(
                [haproxy(), "-W", "-db", "-f", str(cfg)],
                None,
                log_dir / f"haproxy-{port}.log" if log_dir else None,
            )
        )
        public = f"http://{'127.0.0.1' if address in ('0.0.0.0', '') else address}:{port}"
        wait_healthy(public, proxy, timeout=30)
        yield Cluster(public, urls, apps, proxy, [replica_name(i) for i in range(n)])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m shahu.ops.replicas", description=__doc__)
    parser.add_argument("--replicas", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--port", type=int, default=8501, help="HAProxy's public port")
    parser.add_argument("--address", default="0.0.0.0", help="HAProxy's public address")
    parser.add_argument("--first-port", type=int, default=FIRST_REPLICA_PORT)
    parser.add_argument(
        "--compose-config", action="store_true", help="print deploy/haproxy-compose.cfg and exit"
    )
    args = parser.parse_args(argv)
    if args.compose_config:
        print(render_compose(), end="")
        return 0
    ports = [args.first_port + i for i in range(args.replicas)]
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # stop the replicas on `kill` too
    with replicas(args.replicas, args.port, args.address, ports=ports) as cluster:
        print(f"{args.replicas} replicas on ports {ports}; open {cluster.url}", flush=True)
        try:  # HAProxy routes around a replica that died; stop when none is left
            while cluster.haproxy.poll() is None and any(p.poll() is None for p in cluster.apps):
                time.sleep(1)
        except KeyboardInterrupt:
            return 0
    return 1


if __name__ == "__main__":
    sys.exit(main())
