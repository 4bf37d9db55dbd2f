"""A local stand-in for the Maileon REST API (Starlette ASGI app) with fault injection."""

from .app import create_app
from .faults import Faults, parse_faults
from .server import running_simulator, serve, simulator_process
from .state import LoggedRequest, SimClock, SimContact, SimState, UnsubEntry

__all__ = [
    "Faults", "LoggedRequest", "SimClock", "SimContact", "SimState", "UnsubEntry", "create_app", "parse_faults",
    "running_simulator", "serve", "simulator_process",
]
