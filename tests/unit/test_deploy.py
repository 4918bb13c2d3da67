"""A lint of the Dockerfile and the compose file that run replicas behind HAProxy (Docker itself
may not run on the test machine; the replicas themselves: tests/ops/test_replicas.py)."""

from __future__ import annotations

import re
import shlex
import tomllib

import yaml

from shahu.core.paths import ROOT
from shahu.data import auth


def _instructions(text: str) -> list[tuple[str, str]]:
    joined = text.replace("\\\n", " ")
    lines = [ln.strip() for ln in joined.splitlines() if ln.strip() and not ln.startswith("#")]
    return [(ln.split(None, 1)[0].upper(), ln.split(None, 1)[1]) for ln in lines]


def test_dockerfile_runs_the_app_as_a_user_with_assets_baked_in_and_a_health_check():
    steps = _instructions((ROOT / "Dockerfile").read_text(encoding="utf-8"))
    kinds = [k for k, _ in steps]
    assert kinds[0] in ("FROM", "ARG")
    runs = " ".join(arg for k, arg in steps if k == "RUN")
    assert "python -m shahu assets" in runs  # offline assets in the image, nothing at run time
    users = [arg for k, arg in steps if k == "USER"]
    assert users and users[-1] not in ("root", "0"), "the app must not run as root"
    assert kinds.index("USER") < kinds.index("CMD")
    health = next(arg for k, arg in steps if k == "HEALTHCHECK")
    assert "/_stcore/health" in health
    cmd = next(arg for k, arg in steps if k == "CMD")
    assert "shahu.ops.serve" in cmd
    for k, arg in steps:  # every COPY from the build context names something that exists
        if k == "COPY" and "--from=" not in arg:
            sources = [s for s in shlex.split(arg)[:-1] if not s.startswith("--")]
            for source in sources:
                assert (ROOT / source).exists() or source == ".", source
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    assert {".venv", "static/vendor", ".git"} <= set(ignored)


def test_compose_file_puts_replicas_on_one_data_volume_behind_haproxy():
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
    app, proxy = compose["services"]["app"], compose["services"]["haproxy"]
    assert app["build"] in (".", {"context": "."})
    volume = next(v for v in app["volumes"] if v.split(":")[1] == "/app/data")
    assert volume.split(":")[0] in compose["volumes"]  # a named volume shared by every replica
    assert "replicas" in app["deploy"]
    assert "deploy/haproxy-compose.cfg" in " ".join(proxy["volumes"])
    assert proxy["depends_on"]["app"]["condition"] == "service_healthy"
    assert any(str(p).endswith(":8501") for p in proxy["ports"])


def test_compose_gives_every_replica_the_staff_accounts_as_streamlit_secrets():
    """Staff sign in with accounts from Streamlit's secrets: the stack mounts a secrets file where
    Streamlit looks in the image (its working directory's `.streamlit/`), empty unless told."""
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
    app = compose["services"]["app"]
    assert not [k for k in app.get("environment", {}) if "PASSWORD" in k]  # the app reads none
    workdir = re.findall(r"^WORKDIR (\S+)", (ROOT / "Dockerfile").read_text(), re.M)[-1]
    target = f"{workdir}/.streamlit/secrets.toml"
    (mount,) = [v for v in app["volumes"] if v.rsplit(":", 2)[1:2] == [target]]
    source, _, mode = mount.rsplit(":", 2)  # the source's default has a colon of its own
    assert mode == "ro"
    default = re.fullmatch(r"\$\{SHAHU_SECRETS:-(.+)\}", source).group(1)
    secrets = tomllib.loads((ROOT / default).read_text(encoding="utf-8"))
    assert auth.accounts(secrets) == {}  # no account ships with the stack
    assert ".streamlit/secrets.toml" in (ROOT / ".dockerignore").read_text().split()
