"""A phase of single calls (objection pushes, e-mail moves) stops as a whole once Maileon keeps failing.

Each call already retries on its own (``maileon/transport.py``) for up to its retry budget; when
several calls in a row still fail with a server-side error, the next ones would only do the same,
minutes each, while the run holds the workspace lock. So the phase gives up: what is not done yet
stays pending (the ledger, the journal), and the run stops resumably with the error's hint.
"""

from __future__ import annotations

from kufertui.maileon.errors import MaileonError

STREAK_LIMIT = 3  # calls in a row failed after their retries: Maileon (or the way to it) is down


class KeepsFailing(Exception):
    """The phase stopped: ``count`` calls in a row failed; ``error`` is the last one's."""

    def __init__(self, error: MaileonError, count: int) -> None:
        super().__init__(str(error))
        self.error = error
        self.count = count


class FailureStreak:
    """Counts the calls of one phase that failed server-side in a row (in the order they finish)."""

    def __init__(self, limit: int = STREAK_LIMIT) -> None:
        self.limit = max(1, limit)
        self.count = 0

    def answered(self) -> None:
        """Maileon answered a call (done, or a refusal about this contact): it is working."""
        self.count = 0

    def failed(self, exc: MaileonError) -> None:
        """A call failed after its retries; raises KeepsFailing once ``limit`` did so in a row."""
        if not exc.server_side:  # the error's class says (maileon/errors.py)
            self.answered()
            return
        self.count += 1
        if self.count >= self.limit:
            raise KeepsFailing(exc, self.count)
