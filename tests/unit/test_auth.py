"""Staff accounts, pure: hashes, the accounts table, session expiry."""

from __future__ import annotations

import io
import subprocess
import sys

import pytest
from argon2 import PasswordHasher

from shahu.core.i18n import t
from shahu.core.paths import ROOT
from shahu.data import auth
from shahu.ops import cli
from tests.accounts import ACCOUNTS, OTHER_PASSWORD, PASSWORD, cheap_hash


def test_accounts_keep_only_safe_names_with_argon2_hashes():
    secrets = {
        "staff": {
            "accounts": {
                **ACCOUNTS,
                "plain": "a password in clear text",
                "../etc": ACCOUNTS["Amy"],
                "with space": ACCOUNTS["Amy"],
                "x" * 41: ACCOUNTS["Amy"],
            }
        }
    }
    assert auth.accounts(secrets) == ACCOUNTS
    assert auth.accounts(None) == {} and auth.accounts({"staff": "oops"}) == {}


def test_verify_needs_the_right_account_and_password():
    assert auth.verify(ACCOUNTS, "Amy", PASSWORD)
    assert auth.verify(ACCOUNTS, "王工", OTHER_PASSWORD)
    assert not auth.verify(ACCOUNTS, "王工", PASSWORD)
    assert not auth.verify(ACCOUNTS, "Amy", "")
    assert not auth.verify(ACCOUNTS, "nobody", "no such account")  # not even the dummy's own
    assert not auth.verify({"Amy": "$argon2id$broken"}, "Amy", PASSWORD)


def test_hash_password_makes_an_argon2id_hash_that_verifies():
    made = auth.hash_password("a long new password")
    assert made.startswith("$argon2id$")
    assert auth.verify({"new": made}, "new", "a long new password")
    with pytest.raises(ValueError):
        auth.hash_password("")


def test_a_session_lapses_when_idle_too_old_or_its_hash_changes():
    session = auth.start(ACCOUNTS, "Amy", now=1000.0)
    assert auth.still_valid(session, ACCOUNTS, 1000.0 + auth.IDLE_LIMIT - 1)
    assert not auth.still_valid(session, ACCOUNTS, 1000.0 + auth.IDLE_LIMIT)
    busy = auth.Session("Amy", session.digest, since=0.0, seen=auth.SESSION_LIMIT)
    assert not auth.still_valid(busy, ACCOUNTS, auth.SESSION_LIMIT + 1)  # active, but too long
    changed = {**ACCOUNTS, "Amy": cheap_hash("a new password")}
    assert not auth.still_valid(session, changed, 1001.0)
    assert not auth.still_valid(session, {"王工": ACCOUNTS["王工"]}, 1001.0)  # account removed
    assert not auth.still_valid(None, ACCOUNTS, 1001.0)


def test_the_session_keeps_a_digest_not_the_hash():
    session = auth.start(ACCOUNTS, "Amy", now=0.0)
    assert ACCOUNTS["Amy"] not in repr(session) and len(session.digest) == 16


def test_cli_hash_password_reads_without_echo_and_prints_a_hash(monkeypatch, capsys):
    prompts = []
    monkeypatch.setattr(sys, "stdin", type("Tty", (io.StringIO,), {"isatty": lambda s: True})())
    monkeypatch.setattr(cli.getpass, "getpass", lambda p: prompts.append(p) or "a good password!")
    assert cli.main(["--lang", "en", "hash-password"]) == 0
    out, err = capsys.readouterr()
    assert prompts == [t("cli.hash_prompt", "en"), t("cli.hash_again", "en")]
    name, value = out.strip().split(" = ")
    assert name == "NAME" and auth.verify({"x": value.strip('"')}, "x", "a good password!")
    assert "a good password!" not in out + err
    assert t("cli.hash_done", "en") in err


def test_cli_hash_password_refuses_a_mismatch_or_a_short_password(monkeypatch, capsys):
    answers = iter(["first password 1", "second password 2"])
    monkeypatch.setattr(sys, "stdin", type("Tty", (io.StringIO,), {"isatty": lambda s: True})())
    monkeypatch.setattr(cli.getpass, "getpass", lambda p: next(answers))
    assert cli.main(["--lang", "en", "hash-password"]) == 1
    out, err = capsys.readouterr()
    assert out == "" and t("cli.hash_mismatch", "en") in err
    run = subprocess.run(
        [sys.executable, "-m", "shahu", "--lang", "en", "hash-password"],
        input="short\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert run.returncode == 1 and run.stdout == ""
    assert t("cli.hash_short", "en", n=cli.MIN_PASSWORD) in run.stderr


def test_cli_hash_password_from_a_pipe():
    run = subprocess.run(
        [sys.executable, "-m", "shahu", "hash-password"],
        input="piped password 沙湖\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert run.returncode == 0
    value = run.stdout.strip().split(" = ")[1].strip('"')
    assert PasswordHasher().verify(value, "piped password 沙湖")
