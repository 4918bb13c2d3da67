"""The staff password: where it comes from, and a constant-time comparison.

Writes to data/ need it. With none configured the data page still validates and previews
uploads, but never writes.
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping

ENV_NAME = "SHAHU_ADMIN_PASSWORD"
SECRET_NAME = "admin_password"


def configured_password(env: Mapping[str, str], secret: object = None) -> str | None:
    """The password from the environment, else from st.secrets; None if neither is set."""
    for value in (env.get(ENV_NAME), secret):
        if isinstance(value, str) and value.strip():
            return value
    return None


def password_ok(given: str | None, expected: str | None) -> bool:
    """True only if a password is configured and `given` matches it (compared in constant time)."""
    if not expected or not given:
        return False
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))
