"""kufertui: KUFER newsletter contacts to Maileon and unsubscribes back, from the terminal."""

import sys

__version__ = "0.1.0"

# httpx imports its own command-line client at `import httpx` whenever click, rich and pygments are installed (they
# are: uvicorn and our report need two of them), ~50 ms at every start of kufertui. It falls back to a stub when
# that import fails; we never run httpx's command line, so it is told to fail. Before any `import httpx` of ours;
# where httpx was imported already, nothing changes.
sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]
