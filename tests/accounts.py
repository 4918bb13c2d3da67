"""Staff accounts for tests: real argon2 hashes, made cheap (the production cost is ~1 s each)."""

from __future__ import annotations

from argon2 import PasswordHasher

PASSWORD = "correct horse 电池 staple"
OTHER_PASSWORD = "s3cret-沙湖-王工"
_CHEAP = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


def cheap_hash(password: str) -> str:
    return _CHEAP.hash(password)


ACCOUNTS = {"Amy": cheap_hash(PASSWORD), "王工": cheap_hash(OTHER_PASSWORD)}


def secrets_toml(accounts: dict[str, str] = ACCOUNTS) -> str:
    """The `.streamlit/secrets.toml` text that sets these accounts up."""
    lines = ["[staff.accounts]"] + [f'"{name}" = "{value}"' for name, value in accounts.items()]
    return "\n".join(lines) + "\n"
