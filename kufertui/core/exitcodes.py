"""The process exit codes (README.md, "Command line"), in one place (CLI, engine and commands read them here)."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0  # done
    REJECTS = 1  # done, but contacts were rejected
    USAGE = 2  # usage or configuration error
    UNREACHABLE = 3  # Maileon or the network could not be reached
    ABORTED = 4  # stopped early; resumable


EXIT_OK, EXIT_REJECTS, EXIT_USAGE, EXIT_UNREACHABLE, EXIT_ABORTED = (
    ExitCode.OK, ExitCode.REJECTS, ExitCode.USAGE, ExitCode.UNREACHABLE, ExitCode.ABORTED)
