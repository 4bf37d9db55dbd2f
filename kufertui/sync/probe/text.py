"""The probe's table as people read it (in the UI language), printed by the CLI and written unchanged to
``exports/probe-<time>-<token>.txt`` for a support ticket. Values Maileon sent are escaped; the API key is in none."""

from __future__ import annotations

import textwrap
from datetime import UTC, datetime
from pathlib import Path

from kufertui import __version__
from kufertui.core.terminal import printable
from kufertui.i18n import t
from kufertui.paths import WorkspacePaths, ensure_private_dir
from kufertui.platform import write_atomic

from .outcome import ProbeOutcome
from .steps import Verdict

MARKS = {Verdict.HOLDS: "✔", Verdict.DIFFERS: "⚠", Verdict.UNCHECKED: "–"}
WIDTH = 110
INDENT = " " * 7


def _row(head: str, text: str) -> list[str]:
    return textwrap.wrap(f"{head} {printable(text)}", WIDTH, subsequent_indent=INDENT)


def render(outcome: ProbeOutcome) -> list[str]:
    """The table and what follows it, line by line."""
    names = outcome.names
    lines = [t("probe.title", url=printable(outcome.base_url)),
             t("probe.meta", token=names.token, domain=names.domain, started=outcome.started_at,
               seconds=outcome.seconds, version=__version__), ""]
    for row in outcome.rows:  # one row per assumption: what was seen (why not), what was expected where it differs
        verdict = row.verdict
        lines += _row(f"{MARKS[verdict]} {row.row:<4} {t(f'probe.verdict.{verdict}'):<15} {row.step}:", row.text())
        if verdict is Verdict.DIFFERS:
            lines += _row(INDENT + t("probe.label.expected"), row.expected())
    counts = outcome.counts()
    lines += ["", t("probe.summary", holds=counts["holds"], differs=counts["differs"],
                    unchecked=counts["could-not-check"])]
    if outcome.error is not None:
        lines.append(t("probe.stopped-error", detail=printable(outcome.error.technical())))
    if outcome.interrupted:
        lines.append(t("probe.stopped-cancel"))
    if outcome.leftovers:
        lines.append(t("probe.leftovers", count=len(outcome.leftovers)))
        lines += [f"  {printable(item)}" for item in outcome.leftovers[:20]]
    else:
        lines.append(t("probe.cleaned"))
    if outcome.report_entries:
        lines.append(t("probe.report-entries", count=outcome.report_entries))
    if outcome.earlier_removed:
        lines.append(t("probe.earlier-removed", count=outcome.earlier_removed))
    if outcome.earlier_left:
        lines.append(t("probe.earlier-left", count=len(outcome.earlier_left)))
    if counts["differs"]:
        lines += textwrap.wrap(t("probe.differs-advice"), WIDTH)
    return lines


def write_probe_file(outcome: ProbeOutcome, workspace_root: Path) -> Path:
    """``exports/probe-<UTC time>-<token>.txt`` (owner only, written atomically): the table as printed."""
    folder = WorkspacePaths(Path(workspace_root)).exports_dir
    ensure_private_dir(folder)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    text = "\n".join(render(outcome)) + "\n"
    # the token too: two probes in one second must not share a file
    return write_atomic(folder / f"probe-{stamp}-{outcome.names.token}.txt", text.encode("utf-8"))
