"""How a secret is hidden: the one mask shown in its place, and every form a credential takes on the wire, so
texts can be scrubbed of all of them.

A server or proxy that echoes a request header back (``Authorization: Basic …``,
``Proxy-Authorization: Basic …``) shows the credential base64-encoded, a URL shows it
percent-encoded: scrubbing only the plain text lets those forms through.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable
from urllib.parse import quote, quote_plus, unquote, urlsplit

MASK = "********"  # what stands in a secret's place, in every text, file and screen
TAIL = 4  # characters of a long API key shown after the mask, so that the helpdesk can tell which key is set


def masked(value: str, *, tail: bool = False) -> str:
    """The mask in place of a set secret ("" for none). ``tail``: with the last TAIL characters of a long value
    (an API key); never for a password (a quarter of a short one)."""
    if not value:
        return ""
    return MASK + (value[-TAIL:] if tail and len(value) >= 4 * TAIL else "")


def _b64(text: str) -> str:
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


def _encodings(secret: str) -> list[str]:
    return [secret, quote(secret, safe=""), quote(secret), quote_plus(secret)]


def api_key_forms(key: str) -> list[str]:
    """The key as typed, URL-encoded, and base64 as in the Basic header (with and without the colon)."""
    if not key:
        return []
    return [*_encodings(key), _b64(key), _b64(key + ":"), _b64(":" + key)]


def password_forms(user: str, password: str) -> list[str]:
    """A password as typed, URL-encoded, and base64 of ``user:password`` as in a Basic header."""
    if not password:
        return []
    return [*_encodings(password), _b64(f"{user}:{password}"), _b64(password)]


def url_password_forms(url: str) -> list[str]:
    """The password inside a URL (proxy URL, SQL DSN), in the forms the URL and its use carry it."""
    try:
        parts = urlsplit(url)
        raw_user, raw_password = parts.username, parts.password
    except ValueError:
        return []
    if not raw_password:
        return []
    forms = password_forms(unquote(raw_user or ""), unquote(raw_password))
    return [*forms, raw_password]


def unique(forms: Iterable[str]) -> list[str]:
    """Longest first, so a form that contains another is replaced whole."""
    return sorted({f for f in forms if f}, key=len, reverse=True)


def scrub(text: str, forms: Iterable[str], mask: str = MASK) -> str:
    for form in unique(forms):
        text = text.replace(form, mask)
    return text
