"""The one reading of the SQL connection string (DSN) that every place uses: connecting, masking, scrubbing.

``mssql://user:password@host[:port]/database`` or ``sqlite:///path``. A password may hold any character:
everything between ``://`` and the LAST ``@`` is the user part, and its first ``:`` ends the user name, so
``Sommer2024!#x`` or ``a/b?c[d`` need no escaping (``urllib`` reads ``#`` as a fragment and ``/`` as a path
and showed, bundled or crashed on them). Percent escapes (``%40`` for ``@``) are still decoded, so a
literal ``%`` followed by two hex digits must be written ``%25``.

Pure: no I/O, no driver. Connecting lives in ``kufertui.kufer.dsn``; the settings check, the masks in
Settings, doctor and the support bundle, and the secret scrubbing all call this module.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import unquote

from kufertui.core import secrets

SCHEMES = ("mssql", "sqlite")
DEFAULT_MSSQL_PORT = 1433
_HOST = re.compile(r"[A-Za-z0-9._-]+|\[[0-9A-Fa-f:.]+\]")  # a name, an IPv4 address or a bracketed IPv6 one
_INSTANCE = re.compile(r"[A-Za-z0-9_$-]{1,16}")  # host\INSTANCE (a named MS SQL instance)


class DsnError(ValueError):
    """A DSN that cannot be used. ``part`` names what is wrong ("scheme", "host", "port", "form"); the message
    never carries the password."""

    def __init__(self, part: str) -> None:
        super().__init__(f"dsn: {part}")
        self.part = part


@dataclass(frozen=True, slots=True)
class Dsn:
    scheme: str
    path: str = ""  # sqlite: the database file
    host: str = ""
    port: int = DEFAULT_MSSQL_PORT
    user: str = ""
    password: str = field(default="", repr=False)  # decoded
    database: str = ""
    raw_password: str = field(default="", repr=False)  # as written in the DSN


def _split(text: str) -> tuple[str, str, str] | None:
    """(scheme, user part, host part) of ``scheme://…``: the user part is everything between ``://`` and the
    last ``@`` ("" without an ``@``). None when the text has no ``://``."""
    scheme, sep, rest = text.partition("://")
    if not sep:
        return None
    userinfo, _, hostpart = rest.rpartition("@")
    return scheme, userinfo, hostpart


def _userinfo(text: str) -> tuple[str, str, bool]:
    """(user, raw password, whether there is a password) of the user part; its first ``:`` ends the user."""
    split = _split(text)
    if split is None:
        return "", "", False
    user, colon, password = split[1].partition(":")
    return user, password, bool(colon)


def parse_dsn(text: str) -> Dsn:
    """Read a DSN; raise DsnError naming the part that is wrong (never the password)."""
    text = text.strip()
    split = _split(text)
    if split is None:
        raise DsnError("form")
    scheme = split[0].lower()
    if scheme not in SCHEMES:
        raise DsnError("scheme")
    if scheme == "sqlite":
        if not text[len("sqlite://"):].startswith("/") or not text[len("sqlite:///"):].strip():
            raise DsnError("form")
        return Dsn("sqlite", path=text[len("sqlite:///"):])
    user, raw_password, _ = _userinfo(text)
    hostpart = split[2]
    address, _, database = hostpart.partition("/")
    database = database.split("?", 1)[0]
    port = DEFAULT_MSSQL_PORT
    host = address
    if address.startswith("["):
        end = address.find("]")
        host, after = address[: end + 1], address[end + 1:]
        if after:
            if not after.startswith(":"):
                raise DsnError("host")
            port = _port(after[1:])
    elif ":" in address:
        host, _, number = address.rpartition(":")
        port = _port(number)
    name, backslash, instance = host.partition("\\")
    if not _HOST.fullmatch(name) or (backslash and not _INSTANCE.fullmatch(instance)):
        raise DsnError("host")
    return Dsn("mssql", host=host, port=port, user=unquote(user), password=unquote(raw_password),
               database=unquote(database), raw_password=raw_password)


def _port(text: str) -> int:
    if not text.isascii() or not text.isdigit() or not 1 <= int(text) <= 65535:
        raise DsnError("port")
    return int(text)


def dsn_problem(text: str) -> str | None:
    """The message id for a DSN that cannot be used (None: empty or usable)."""
    if not text.strip():
        return None
    try:
        parse_dsn(text)
    except DsnError:
        return "config.bad-dsn"
    return None


def mask_dsn(text: str, mask: str = secrets.MASK) -> str:
    """The DSN with its password replaced by ``mask``; user, host and database stay readable. Never raises:
    a DSN that does not parse is masked by the same split (the text between ``://`` and the last ``@``)."""
    split = _split(text)
    if split is None:
        return text
    scheme, _, hostpart = split
    user, password, has = _userinfo(text)
    if not has or not password:
        return text
    return f"{scheme}://{user}:{mask}@{hostpart}"


def unmask_dsn(text: str, original: str, mask: str = secrets.MASK) -> str:
    """Put the password of ``original`` back where ``text`` still shows the mask (a masked DSN, edited)."""
    user, password, has = _userinfo(text)
    if not has or password != mask:
        return text
    _, old, _ = _userinfo(original)
    split = _split(text)
    assert split is not None
    return f"{split[0]}://{user}:{old}@{split[2]}"


def dsn_password(text: str) -> str:
    """The password as written in the DSN ("" when there is none)."""
    return _userinfo(text)[1]


def dsn_password_forms(text: str) -> list[str]:
    """The DSN's password in every form it may show up in (as written, decoded, URL-encoded, in Basic)."""
    user, raw, _ = _userinfo(text)
    if not raw:
        return []
    return secrets.unique([raw, *secrets.password_forms(unquote(user), unquote(raw))])
