"""Failed staff sign-ins: the client a limit counts, back-off, and counts shared by replicas."""

from __future__ import annotations

import pytest

from shahu.data import sign_in_limits as limits
from shahu.data.sign_in_limits import Rule, Throttle, client_address, keys, trusted_proxies

LOOPBACK = trusted_proxies("")  # nothing configured: nothing trusted
DEFAULT = trusted_proxies(limits.DEFAULT_TRUSTED_PROXIES)


@pytest.mark.parametrize(
    ("peer", "forwarded", "trusted", "client"),
    [
        (None, "203.0.113.7", DEFAULT, "203.0.113.7"),  # behind HAProxy on loopback
        ("127.0.0.1", "203.0.113.7:5123", DEFAULT, "203.0.113.7"),  # a port is not the address
        (None, "6.6.6.6, 203.0.113.7", DEFAULT, "203.0.113.7"),  # a visitor's own header: ignored
        ("198.51.100.4", "203.0.113.7", DEFAULT, "198.51.100.4"),  # not from a proxy: not believed
        (None, "203.0.113.7", LOOPBACK, "127.0.0.1"),  # no proxy trusted
        (None, None, DEFAULT, "127.0.0.1"),  # a local visit with no proxy
        (None, "not an address, <script>", DEFAULT, "127.0.0.1"),
        ("172.18.0.5", "[2001:db8::1]:443", trusted_proxies("172.16.0.0/12"), "2001:db8::1"),
        (None, "10.0.0.8, 127.0.0.1", DEFAULT, "10.0.0.8"),  # trusted hops are skipped
    ],
)
def test_the_client_is_the_nearest_untrusted_hop(peer, forwarded, trusted, client):
    assert client_address(peer, forwarded, trusted) == client


def test_trusted_proxies_come_from_the_environment(monkeypatch):
    monkeypatch.setenv(limits.TRUSTED_PROXIES_ENV, "10.1.0.0/16, bogus, ::1")
    assert [str(n) for n in trusted_proxies()] == ["10.1.0.0/16", "::1/128"]
    monkeypatch.delenv(limits.TRUSTED_PROXIES_ENV)
    assert [str(n) for n in trusted_proxies()] == ["127.0.0.0/8", "::1/128"]


def test_throttle_backs_off_after_the_free_attempts_and_doubles():
    throttle = Throttle({"account": Rule(free=3, base=2, cap=10), "client": Rule(9)})
    amy = keys("Amy", "10.0.0.1")
    for now in range(3):
        assert throttle.wait(amy, now) == 0
        throttle.failed(amy, now)
    assert throttle.wait(amy, 3) == 0
    throttle.failed(amy, 3)  # the 4th failure: 2 s
    assert throttle.wait(amy, 4) == 1
    throttle.failed(amy, 5)  # 4 s
    assert throttle.wait(amy, 5) == 4
    throttle.failed(amy, 9)  # 8 s
    throttle.failed(amy, 17)  # 16 s, capped at 10
    assert throttle.wait(amy, 17) == 10
    assert throttle.wait(keys("王工", "10.0.0.2"), 17) == 0
    throttle.succeeded(amy)
    assert throttle.wait(amy, 18) == 0 and throttle.failures(("account", "Amy@10.0.0.1")) == 0


def test_an_anonymous_visitor_cannot_lock_staff_out():
    """The recipe from issue 26: 21 failures with made-up names, then the right password."""
    throttle = Throttle()
    for n in range(21):
        throttle.failed(keys(f"made-up-{n}", "203.0.113.66"), 100 + n)
    assert throttle.wait(keys("Amy", "203.0.113.66"), 121) > 0  # the attacker is held up
    assert throttle.wait(keys("Amy", "198.51.100.4"), 121) == 0  # staff elsewhere are not


def test_a_locked_account_does_not_block_the_right_password_from_another_client():
    throttle = Throttle()
    for n in range(8):
        throttle.failed(keys("Amy", "203.0.113.66"), 100 + n)
    assert throttle.wait(keys("Amy", "203.0.113.66"), 108) > 0
    assert throttle.wait(keys("Amy", "198.51.100.4"), 108) == 0


def test_a_success_resets_only_its_own_clients_counts():
    throttle = Throttle({"account": Rule(free=5), "client": Rule(free=2)})
    for n in range(3):
        throttle.failed(keys(f"guess{n}", "203.0.113.66"), 100)
    throttle.succeeded(keys("Amy", "198.51.100.4"))  # staff sign in elsewhere
    assert throttle.failures(("client", "203.0.113.66")) == 3
    assert throttle.wait(keys("guess9", "203.0.113.66"), 100) > 0


def test_counts_are_shared_by_every_process_on_the_data_folder(tmp_path):
    one, two = Throttle(folder=tmp_path / ".sign-in"), Throttle(folder=tmp_path / ".sign-in")
    for n in range(6):
        one.failed(keys("Amy", "203.0.113.66"), 100 + n)
    assert two.wait(keys("Amy", "203.0.113.66"), 106) > 0  # locked on one, locked on the other
    two.succeeded(keys("Amy", "203.0.113.66"))
    assert one.wait(keys("Amy", "203.0.113.66"), 106) == 0


def test_a_damaged_store_starts_over_and_an_unwritable_one_counts_in_memory(tmp_path, caplog):
    folder = tmp_path / ".sign-in"
    folder.mkdir()
    (folder / "attempts.json").write_text("{not json", encoding="utf-8")
    throttle = Throttle(folder=folder)
    assert throttle.wait(keys("Amy", "a"), 0) == 0
    throttle.failed(keys("Amy", "a"), 0)
    assert throttle.failures(("client", "a")) == 1
    blocked = Throttle(folder=tmp_path / "file" / ".sign-in")
    (tmp_path / "file").write_text("not a folder", encoding="utf-8")
    blocked.failed(keys("Amy", "a"), 0)
    assert blocked.failures(("client", "a")) == 1 and "this process only" in caplog.text


def test_throttle_forgets_old_failures_and_stays_bounded(tmp_path):
    throttle = Throttle({"account": Rule(free=1), "client": Rule(1)}, max_keys=10, folder=tmp_path)
    throttle.failed(keys("Amy", "a"), 0)
    assert throttle.wait(keys("Amy", "a"), Rule(1).forget + 1) == 0
    for n in range(50):
        throttle.failed(keys(f"n{n}", f"c{n}"), 10 + n)
    assert len(limits.json.loads((tmp_path / "attempts.json").read_text())) <= 10
