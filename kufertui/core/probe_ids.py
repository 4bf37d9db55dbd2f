"""The external ids `kufertui doctor --probe` gives its scratch contacts: a range no KUFER number can be in.

A KUFER person number (TNR) is a number; these start with a lower-case word and a hyphen. The probe's contacts,
and the unsubscription report entries they leave (Maileon keeps those as records), are recognised by it.
"""

from __future__ import annotations

PROBE_ID_PREFIX = "kufertui-probe-"


def is_probe_id(external_id: str | None) -> bool:
    """True for an external id in the probe's reserved range."""
    return bool(external_id) and str(external_id).startswith(PROBE_ID_PREFIX)
