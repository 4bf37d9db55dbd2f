"""The run report on a terminal: the manual's line coloured as the legend of a bar whose parts add up to
the selection, then the other figures in groups and the reject causes in words (Rich; plain when piped)."""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

from kufertui import i18n
from kufertui.commands.context import CommandContext
from kufertui.core.report import BAR_PARTS, BREAKDOWN_GROUPS, RunReport, bar_values, bar_widths, report_line_parts
from kufertui.core.terminal import printable

STYLES = dict(BAR_PARTS)
BAR_WIDTH = 60


def print_report(ctx: CommandContext, report: RunReport) -> None:
    t = i18n.t
    # soft wrap: the report line stays one line in logs; no markup: segment names, e-mails and paths are data
    console = Console(highlight=False, soft_wrap=True, markup=False)
    console.print()
    if report.dry_run:
        console.print(t("cli.dry-run-title"))
        console.print(t("report.dry-run-local", pulled=i18n.number(report.unsubscribes_pulled),
                        set_n=i18n.number(report.contacts_set_n), written=i18n.number(report.written_back)))
    line = Text()
    for piece, part in report_line_parts(report, ctx.lang):
        line.append(piece, style=f"bold {STYLES[part]}" if part else "bold")
    console.print(line)
    if report.selected and console.is_terminal:  # without colour (piped, cron) the bar says nothing
        values = bar_values(report)
        bar = Text()
        for (name, _value), cells in zip(values, bar_widths([v for _, v in values], BAR_WIDTH), strict=True):
            bar.append("█" * cells, style=STYLES[name])
        console.print(bar)
    for group, names in BREAKDOWN_GROUPS:
        shown = [(name, getattr(report, name)) for name in names if getattr(report, name)]
        if shown:
            console.print(t(f"report.group.{group}"), style="bold")
            for name, value in shown:
                console.print(f"  {t('report.' + name)}: {i18n.number(value)}")
    if report.rejects_by_code:
        console.print(t("report.causes"), style="bold")
        for code, count in sorted(report.rejects_by_code.items(), key=lambda item: -item[1]):
            console.print(f"  {i18n.cause_label(code)} ({i18n.cause_detail(code)}): {i18n.number(count)}")
    if report.reconciled:
        console.print(t("report.reconciled"), style="green")
    else:
        console.print(t("report.gap", gap=report.selected - report.accounted), style="red")
    for email in report.missing[:20]:
        console.print(f"    {printable(email)}")
    for seg in report.segments or []:  # a segment refresh (or its dry run): one row per segment
        group = seg.get("target_group") or {}
        console.print(t("segment.report-row", name=printable(seg["name"]), members=i18n.number(seg["members"]),
                        joined=i18n.number(seg["joined"]), left=i18n.number(seg["left"]),
                        marked=i18n.number(seg["marked"]), count=group.get("count_active_contacts", "–")))
    if report.writeback_file:
        console.print(t("cli.writeback-file", path=printable(report.writeback_file)))
    if report.target_group and report.target_group.get("target_group_id"):
        console.print(t(report.target_group.get("message", "engine.target-group-created"),
                        name=printable(report.target_group["name"]), id=report.target_group["target_group_id"],
                        count=report.target_group.get("count_active_contacts", 0),
                        marked=report.target_group.get("run_marked", 0)))
