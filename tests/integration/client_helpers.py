"""The key and client options of the Maileon client/simulator tests (conftest.py's fixtures use them; a test
imports them from here: a module named ``conftest`` exists once per test folder, so importing from it picks
whichever was loaded first)."""

from __future__ import annotations

from typing import Any

from kufertui.maileon import ClientOptions

API_KEY = "test-key-Zx9!secret-0123456789"


def fast_options(base_url: str = "http://sim.invalid/1.0", **kw: Any) -> ClientOptions:
    """Tiny backoff and no pacing, so retry tests stay fast."""
    defaults: dict[str, Any] = dict(
        api_key=API_KEY, base_url=base_url, backoff_base_s=0.01, backoff_max_s=0.05,
        requests_per_second=0, retry_budget_s=10.0, max_retries=3, connect_timeout=2.0, read_timeout=10.0,
    )
    defaults.update(kw)
    return ClientOptions(**defaults)
