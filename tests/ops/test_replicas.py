"""Several app processes behind HAProxy (`make serve`), on loopback, over Streamlit's own protocol.

A visitor's session must stay on the process that holds it; the front end arrives compressed and
from HAProxy's cache; a staff import through the CLI is seen by every process; when a process
dies, new visitors go to the ones that live and sessions already on those are untouched. Plus
`haproxy -c` on the configurations (the Dockerfile and compose file: tests/unit/test_deploy.py).
"""

from __future__ import annotations

import asyncio
import gzip
import os
import re
import subprocess
import sys
from email.message import Message
from urllib.request import Request, urlopen

import pytest
from filelock import FileLock

from benchmarks.load import http_get, run, visit
from shahu.core.paths import ROOT
from shahu.data import store
from shahu.ops import replicas
from tests.helpers import copy_data, restore_data

TOKEN = "导入测试项目QR14"


def _need_haproxy() -> None:
    try:
        replicas.haproxy()
    except RuntimeError:
        if os.environ.get("CI"):
            pytest.fail("CI=true but haproxy is missing: `make test` should have installed it")
        pytest.skip("haproxy not installed (apt-get install haproxy)")


@pytest.fixture(scope="module")
def replica_data(tmp_path_factory):
    return copy_data(tmp_path_factory.mktemp("replicas"))


@pytest.fixture
def shared_data(replica_data):
    """The replicas' one data folder, for a test that changes it: put back as shipped after."""
    yield replica_data
    restore_data(replica_data)


@pytest.fixture(scope="module")
def cluster(replica_data):
    """Two replicas on one private data folder, HAProxy in front (the last test kills one)."""
    _need_haproxy()
    (ROOT / "test-output").mkdir(exist_ok=True)
    with replicas.replicas(
        2,
        replicas.free_port(),
        env={"SHAHU_DATA_DIR": str(replica_data)},
        log_dir=ROOT / "test-output",
    ) as c:
        yield c


async def _open(url: str, n: int, page: str, query: str = "") -> list[tuple]:
    """`n` visitors arriving together; each session stays open: [(visit, session)]."""
    return list(await asyncio.gather(*(visit(url, page, query, 120, keep=True) for _ in range(n))))


async def _close(opened) -> None:
    await asyncio.gather(*(s.close() for _, s in opened))


def test_rendered_config_is_accepted_by_haproxy():
    _need_haproxy()
    text = replicas.render([8601, 8602], "127.0.0.1:8501")
    result = replicas.check_config(text)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "server app1 127.0.0.1:8601 check cookie app1" in text
    assert "server app2 127.0.0.1:8602 check cookie app2" in text
    assert "cookie SHAHU_REPLICA insert indirect" in text  # affinity by cookie, not by address
    assert "option httpchk GET /_stcore/health" in text
    assert "timeout tunnel 4h" in text  # an open websocket outlives the HTTP timeouts


def test_compose_config_is_rendered_from_the_template_and_valid():
    _need_haproxy()
    checked_in = (ROOT / "deploy" / "haproxy-compose.cfg").read_text(encoding="utf-8")
    assert checked_in == replicas.render_compose(), (
        "run: python -m shahu.ops.replicas --compose-config"
    )
    result = replicas.check_config(checked_in)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_import_lock_holds_across_processes(data_dir):
    """A lock held by another process (another replica, or the CLI) makes an import wait."""
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from filelock import FileLock; lock = FileLock(sys.argv[1]);"
            " lock.acquire(); print('held', flush=True); sys.stdin.read()",
            str(data_dir / store.LOCK_NAME),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        before = (data_dir / "projects.csv").read_bytes()
        upload = before.replace("双碳科技".encode(), TOKEN.encode(), 1)
        busy = store.import_upload(data_dir, "projects", "p.csv", upload, "t", lock_timeout=0)
        assert busy.status == "busy"
        assert (data_dir / "projects.csv").read_bytes() == before
    finally:
        holder.communicate("", timeout=10)
    assert FileLock(data_dir / store.LOCK_NAME).acquire(timeout=5)  # released with the process


def test_forty_sessions_spread_over_both_replicas_and_each_stays_on_one(cluster):
    async def scenario():
        opened = await _open(cluster.url, 40, "map")
        try:
            again = []
            for _, session in opened:  # the same browser, its next request: same replica
                headers = (await http_get(cluster.url + "/map", session.cookies))[1]
                again.append(dict((k.lower(), v) for k, v in headers).get("x-shahu-replica"))
            reruns = await asyncio.gather(*(s.run() for _, s in opened[:5]))
            return opened, again, reruns
        finally:
            await _close(opened)

    opened, again, reruns = run(scenario())
    assert [r.error for r, _ in opened] == [None] * 40
    assert all(r.texts for r, _ in opened)  # every first run put the page on screen
    names = [r.replica for r, _ in opened]
    assert set(names) == {"app1", "app2"}
    assert min(names.count("app1"), names.count("app2")) >= 10  # spread, not all on one
    assert again == names
    assert all(not [t for kind, t in texts if kind == "error"] for texts in reruns)


def test_a_cli_import_is_seen_through_both_replicas(cluster, shared_data):
    def signings(n: int = 6):
        async def go():
            opened = await _open(cluster.url, n, "signings", "section=table")  # project names
            await _close(opened)
            return [r for r, _ in opened]

        visits = run(go())
        assert [v.error for v in visits] == [None] * n
        assert {v.replica for v in visits} == {"app1", "app2"}
        return visits

    assert not any(TOKEN in " ".join(v.texts) for v in signings())
    upload = shared_data.parent / "projects.csv"
    before = (shared_data / "projects.csv").read_text(encoding="utf-8")
    upload.write_text(before.replace("双碳科技", TOKEN, 1), encoding="utf-8")
    cli = subprocess.run(
        [sys.executable, "-m", "shahu", "import", str(upload), "--table", "projects"]
        + ["--who", "replica-test"],
        cwd=ROOT,
        env={**os.environ, "SHAHU_DATA_DIR": str(shared_data)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert cli.returncode == 0, cli.stdout + cli.stderr
    assert all(TOKEN in " ".join(v.texts) for v in signings())


def _get(url: str, headers: dict[str, str]) -> tuple[Message, bytes]:
    """Headers (names in any case) and the body as sent (not decompressed)."""
    with urlopen(Request(url, headers=headers), timeout=30) as response:
        return response.headers, response.read()


def test_the_front_end_comes_compressed_and_from_haproxys_cache(cluster):
    """A room of phones downloads Streamlit's front end (~2.4 MB of script, served uncompressed):
    through HAProxy it arrives gzipped, and after the first phone from HAProxy's memory."""
    _, page = _get(cluster.url + "/", {})
    script = re.search(r"static/js/index\.[\w-]+\.js", page.decode()).group(0)
    _, direct = _get(f"{cluster.replica_urls[0]}/{script}", {})
    phone = {"Accept-Encoding": "gzip", "Cookie": "SHAHU_REPLICA=app1"}
    (first, body1), (second, body2) = (_get(f"{cluster.url}/{script}", phone) for _ in range(2))
    assert first["Content-Encoding"] == second["Content-Encoding"] == "gzip"
    assert len(body1) < len(direct) / 2
    assert gzip.decompress(body1) == gzip.decompress(body2) == direct
    assert second["X-Shahu-Cache"] == "1"  # not asked of a Python process again
    for _ in range(2):  # the page itself is never cached: each visit gets its own
        headers, _ = _get(cluster.url + "/", phone)
        assert headers["X-Shahu-Cache"] == "0"


def test_a_killed_replica_sends_new_visitors_to_the_survivor(cluster):
    """Runs last in this module: it stops one of the two replicas."""

    async def scenario():
        opened = await _open(cluster.url, 6, "map")
        survivors = [(r, s) for r, s in opened if r.replica == "app1"]
        assert survivors and len(survivors) < 6
        victim = cluster.apps[cluster.names.index("app2")]
        victim.kill()
        victim.wait(timeout=10)
        try:
            newcomers = await _open(cluster.url, 6, "map")
            await _close(newcomers)
            reruns = await asyncio.gather(*(s.run() for _, s in survivors))
            still_open = [s.ws.close_code is None for _, s in survivors]
        finally:
            await _close(opened)
        return newcomers, reruns, still_open

    newcomers, reruns, still_open = run(scenario())
    assert [(r.error, r.replica) for r, _ in newcomers] == [(None, "app1")] * 6
    assert all(still_open)  # the same websocket, the same session: nothing to reload
    assert all(texts and not [t for kind, t in texts if kind == "error"] for texts in reruns)
