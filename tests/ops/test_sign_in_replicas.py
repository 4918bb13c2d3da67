"""Staff sign-in through two replicas behind HAProxy, in Chromium (issue 26).

On loopback every browser is a trusted peer, so each browser context names its own address in
`X-Forwarded-For`, as a front proxy would; HAProxy appends the hop it saw (loopback, trusted).
"""

from __future__ import annotations

import json

import pytest

from harness import browser as b
from shahu.core.i18n import t
from shahu.data.sign_in_limits import STORE_DIR
from shahu.ops import replicas
from tests.accounts import PASSWORD, secrets_toml
from tests.helpers import copy_data
from tests.ops.test_replicas import _need_haproxy

ATTACKER, STAFF = "203.0.113.66", "198.51.100.4"


@pytest.fixture(scope="module")
def staff_cluster(tmp_path_factory, chromium):
    """Two replicas with staff accounts on one data folder, HAProxy in front."""
    _need_haproxy()
    data = copy_data(tmp_path_factory.mktemp("sign-in"))
    secrets = data.parent / "secrets.toml"
    secrets.write_text(secrets_toml(), encoding="utf-8")
    with replicas.replicas(
        2,
        replicas.free_port(),
        env={"SHAHU_DATA_DIR": str(data)},
        app_args=("--secrets.files", str(secrets)),
    ) as cluster:
        yield cluster.url, data


def visitor(chromium, url: str, address: str, replica: str | None = None):
    """A fresh browser on the data page, from `address`, pinned to `replica` if named."""
    context = chromium.new_context(extra_http_headers={"X-Forwarded-For": address})
    b.block_offsite(context)
    if replica:
        context.add_cookies([{"name": "SHAHU_REPLICA", "value": replica, "url": url}])
    page = context.new_page()
    response = page.goto(f"{url}/data?lang=en")
    b.wait_for_app(page)
    page.served_by = response.headers.get("x-shahu-replica")
    return page


def try_sign_in(page, name: str, password: str) -> str:
    """Submit the form once; the message the page then shows."""
    page.get_by_label(t("staff.name", "en")).fill(name)
    page.get_by_label(t("staff.password", "en"), exact=True).fill(password)
    page.get_by_role("button", name=t("staff.sign_in_button", "en")).click()
    page.wait_for_function("() => document.querySelector('input[type=password]')?.value !== 'x'")
    b.wait_for_app(page)
    page.locator("[data-testid=stAlert]").first.wait_for()
    return "\n".join(page.locator("[data-testid=stAlert]").all_inner_texts())


def failures(data, kind: str, what: str) -> int:
    records = json.loads((data / STORE_DIR / "attempts.json").read_text(encoding="utf-8"))
    return records.get(f"{kind}:{what}", {}).get("failures", 0)


def test_a_visitor_with_made_up_names_cannot_lock_staff_out(staff_cluster, chromium):
    url, data = staff_cluster
    attacker = visitor(chromium, url, ATTACKER)
    for n in range(21):  # the recipe: 21 failures with made-up names
        try_sign_in(attacker, f"made-up-{n}", "x")
    assert failures(data, "client", ATTACKER) >= 20  # counted against the attacker's address
    held = try_sign_in(attacker, "Amy", PASSWORD)  # at once: within the 2 s back-off
    assert t("staff.wait", "en", seconds=0).split("0")[0] in held  # the attacker waits
    staff = visitor(chromium, url, STAFF)
    shown = try_sign_in(staff, "Amy", PASSWORD)
    assert t("staff.signed_in", "en", who="Amy") in shown  # the real staff member does not
    assert failures(data, "client", ATTACKER) >= 20  # and their success reset nothing of his
    attacker.context.close()
    staff.context.close()


def test_a_lock_on_one_replica_holds_on_the_other(staff_cluster, chromium):
    """Failures through either replica add up, and the lock they earn holds on both (the next
    try follows within the first back-off, 2 s: both pages are open before it starts)."""
    url, data = staff_cluster
    address = "203.0.113.77"
    one, two = (visitor(chromium, url, address, replica=r) for r in ("app1", "app2"))
    assert (one.served_by, two.served_by) == ("app1", "app2")
    for n in range(5):  # the five free tries, spread over both replicas
        try_sign_in((one, two)[n % 2], "Amy", "wrong")
    assert failures(data, "account", f"Amy@{address}") == 5  # one count, not two of 3 and 2
    try_sign_in(one, "Amy", "wrong")  # the sixth, on app1: locked
    shown = try_sign_in(two, "Amy", PASSWORD)  # the right password, at once, on app2
    assert t("staff.wait", "en", seconds=0).split("0")[0] in shown
    assert t("staff.signed_in", "en", who="Amy") not in shown
    elsewhere = visitor(chromium, url, STAFF, replica="app2")
    assert t("staff.signed_in", "en", who="Amy") in try_sign_in(elsewhere, "Amy", PASSWORD)
    for page in (one, two, elsewhere):
        page.context.close()
