"""Shared fixtures: a copy of the shipped data, a running app, and a browser that cannot go online.

Every test is marked with its tier, the folder it lives in: `unit`, `apptest`, `browser`, `ops`
(`make test-fast` runs `-m "unit or apptest"`).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from harness import browser as b
from shahu.core.paths import DEFAULT_DATA_DIR, DEFAULT_GEO_DIR, ROOT
from tests.helpers import copy_data

TESTS = Path(__file__).parent
TIERS = ("unit", "apptest", "browser", "ops")


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects by marker and xdist groups by them
def pytest_collection_modifyitems(config, items):
    """Mark each test with its tier: the folder it lives in. A test marked with another tier by
    hand keeps that tier, with a warning that it belongs in that tier's folder."""
    for item in items:
        if not Path(item.path).is_relative_to(TESTS):
            continue
        folder = Path(item.path).relative_to(TESTS).parts[0]
        if folder not in TIERS:
            raise pytest.UsageError(f"{item.nodeid}: tests live in tests/{'|'.join(TIERS)}/")
        tier = next((m.name for m in item.iter_markers() if m.name in TIERS), folder)
        if tier == folder:
            item.add_marker(tier)
        else:
            item.warn(pytest.PytestWarning(f"a {tier} test in tests/{folder}/: move it"))
        if tier in ("browser", "ops"):  # `--dist loadgroup`: one worker starts the tier's servers
            item.add_marker(pytest.mark.xdist_group(tier))


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch) -> Path:
    """A private copy of data/ that the app and CLI use through SHAHU_DATA_DIR."""
    target = copy_data(tmp_path)
    monkeypatch.setenv("SHAHU_DATA_DIR", str(target))
    return target


@pytest.fixture(scope="session")
def shipped():
    from shahu.data.dataset import load_dataset

    return load_dataset(DEFAULT_DATA_DIR, DEFAULT_GEO_DIR)


def _need_browser() -> None:
    if b.CHROMIUM.exists():
        return
    if os.environ.get("CI"):
        pytest.fail(
            "CI=true but /usr/bin/chromium is missing: `make test` should have installed it"
        )
    pytest.skip("Debian chromium not installed (apt-get install chromium fonts-noto-cjk)")


@pytest.fixture(scope="session")
def chromium():
    _need_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(b.CHROMIUM), args=b.CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def app_url(tmp_path_factory):
    """One app server for the browser tests, on a private copy of the shipped data."""
    _need_browser()
    (ROOT / "test-output").mkdir(exist_ok=True)
    data = copy_data(tmp_path_factory.mktemp("served"))
    with b.streamlit_server({"SHAHU_DATA_DIR": str(data)}) as url:
        yield url


@pytest.fixture
def offline_page(chromium):
    """A fresh desktop page whose requests off this machine are blocked; `.offsite` lists them."""
    context = chromium.new_context(viewport={"width": 1440, "height": 1000}, locale="zh-CN")
    attempts = b.block_offsite(context)
    page = context.new_page()
    page.offsite = attempts
    yield page
    context.close()


@pytest.fixture
def phone_page(chromium):
    context = chromium.new_context(
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    attempts = b.block_offsite(context)
    page = context.new_page()
    page.offsite = attempts
    yield page
    context.close()
