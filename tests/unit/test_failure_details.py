"""The technical detail of a failure names the request, the status and what was said – never the exception
class as its headline, never an untranslated code (issue 26.16)."""

from __future__ import annotations

from kufertui import i18n
from kufertui.kufer.errors import ImportFailure
from kufertui.maileon.errors import AuthError, NetworkError, ServerError
from kufertui.sync.engine import failure_detail, local_detail


def test_maileon_failures_read_as_request_status_and_the_servers_words() -> None:
    refused = AuthError("AuthError", method="GET", path="/reports/unsubscriptions", status=401,
                        detail="Unauthorized: API key missing")
    assert failure_detail(refused) == "GET /reports/unsubscriptions, HTTP 401: Unauthorized: API key missing"
    unreachable = NetworkError("could not connect", method="GET", path="/ping",
                               detail="ConnectError: All connection attempts failed")
    assert failure_detail(unreachable) == "GET /ping: ConnectError: All connection attempts failed"
    assert failure_detail(ServerError("ServerError", method="POST", path="/contacts", status=503)) == \
        "POST /contacts, HTTP 503"
    assert failure_detail(NetworkError("connection lost")) == "connection lost"


def test_local_failures_are_said_in_the_users_language() -> None:
    failure = ImportFailure("writeback-invalid", detail="dsn")
    i18n.set_language("de")
    assert local_detail(failure) == "Die Rückschreib-Anweisung ist ungültig: dsn"
    i18n.set_language("en")
    assert "writeback-invalid" not in local_detail(failure)
    i18n.set_language("de")
    assert local_detail(OSError(28, "No space left on device")) == "[Errno 28] No space left on device"
