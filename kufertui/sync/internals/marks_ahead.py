"""A look at the import field's marks while the run pulls the unsubscribes: the reads a clear needs first (our
filter "field equals true", which fields some contact carries) go out beside the pull instead of after the
pre-flight's first batch, a few requests the upload no longer waits for. Read only: nothing in Maileon changes
before the run knows it has something to send (a filter worth making is made when the clear is due)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from kufertui.maileon.client import MaileonClient
from kufertui.sync.marks import carriers_of, find_mark_filter, make_mark_filter, mark_filter, marks_to_clear


@dataclass(slots=True)
class MarksSeen:
    filter_id: int | None  # our filter "field equals true", found by name
    worth_making: bool  # none found, and the account is large enough for one: made when the clear is due
    trusted: dict[str, int] = field(default_factory=dict)  # marks_to_clear's findings (not read when worth_making)
    carriers: set[str] = field(default_factory=set)


async def _look(client: MaileonClient, import_field: str,
                declared: asyncio.Task[dict[str, str]]) -> MarksSeen | None:
    # The usual account (fewer contacts than FILTER_WORTH_CONTACTS, no filter of ours) is read for who carries the
    # mark: that read goes out beside the look for our filter, one round trip sooner, and is dropped where the look
    # finds a filter or a large account (a page of contacts read for nothing, read only).
    carriers = asyncio.create_task(carriers_of(client, [import_field]))
    try:
        filter_id, worth_making = await find_mark_filter(client, import_field)
        if worth_making:  # its marks are counted by the filter made later, not read contact by contact now
            return MarksSeen(None, True)
        if import_field not in await asyncio.shield(declared):  # the field is made before the upload: nothing to see
            return None
        if filter_id is None:  # what marks_to_clear finds without a filter: nothing trusted, who carries the mark
            return MarksSeen(None, False, {}, await carriers)
        trusted, seen = await marks_to_clear(client, [import_field], {import_field: filter_id})
        return MarksSeen(filter_id, False, trusted, seen)
    finally:
        if not carriers.done():
            carriers.cancel()
        await asyncio.gather(carriers, return_exceptions=True)  # its failure matters only where it is awaited


class MarksAhead:
    """The look's task; ``before_clear`` gives what a clear of the import field needs."""

    def __init__(self, task: asyncio.Task[MarksSeen | None] | None) -> None:
        self._task = task

    async def before_clear(self, client: MaileonClient,
                           import_field: str) -> tuple[int | None, tuple[dict[str, int], set[str]] | None]:
        """(our filter, made now if it is worth making; what marks_to_clear found, or None to look now). A look
        that failed fails here, where the same reads would have failed without it."""
        seen = await self._task if self._task is not None else None
        if seen is None:
            return await mark_filter(client, import_field), None
        if seen.worth_making:
            return await make_mark_filter(client, import_field), None
        return seen.filter_id, (seen.trusted, seen.carriers)


@asynccontextmanager
async def marks_ahead(client: MaileonClient, import_field: str, declared: asyncio.Task[dict[str, str]], *,
                      wanted: bool) -> AsyncIterator[MarksAhead]:
    """The look, started at once when ``wanted`` (a new run that uploads); cancelled and awaited however the run
    ends, so that no request outlives it and no failure of its own goes unretrieved."""
    task = asyncio.create_task(_look(client, import_field, declared)) if wanted else None
    try:
        yield MarksAhead(task)
    finally:
        if task is not None:
            if not task.done():
                task.cancel()
            await asyncio.gather(task, return_exceptions=True)
