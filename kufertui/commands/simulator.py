"""`kufertui simulator`: the Maileon simulator on a loopback port, saying where it listens and how to use it."""

from __future__ import annotations

import argparse

from kufertui import i18n
from kufertui.commands.context import CommandContext, json_error
from kufertui.core.exitcodes import EXIT_OK, EXIT_USAGE

t = i18n.t
DEFAULT_KEY = "sim-api-key-0000"  # the --api-key default: a public test key, shown in --help anyway


def run_simulator(ctx: CommandContext, args: argparse.Namespace) -> int:
    from kufertui.simulator import serve
    from kufertui.simulator.faults import FaultSpecError
    from kufertui.simulator.server import PortUnavailable

    def ready(url: str) -> None:
        ctx.out(t("cli.sim-started", url=url))
        # a key of one's own may be a real one: it is named, never printed
        key = args.api_key if args.api_key == DEFAULT_KEY else t("cli.sim-own-key")
        ctx.out(t("cli.sim-key", key=key))
        ctx.out(t("cli.sim-usage", url=url, key=args.api_key if args.api_key == DEFAULT_KEY else "…"))
        if args.faults:
            ctx.out(t("cli.sim-faults", spec=args.faults))
        if args.state_file:
            ctx.out(t("cli.sim-state-file", path=str(args.state_file)))
        ctx.out(t("cli.sim-stop"))

    try:
        serve(port=args.port, api_key=args.api_key, faults=args.faults, state_file=args.state_file, on_ready=ready)
    except FaultSpecError as exc:
        return json_error(ctx, False, "cli.sim-bad-faults", EXIT_USAGE, detail=str(exc))
    except PortUnavailable as exc:
        return json_error(ctx, False, "cli.sim-port-busy", EXIT_USAGE, port=args.port, detail=exc.strerror or str(exc))
    return EXIT_OK
