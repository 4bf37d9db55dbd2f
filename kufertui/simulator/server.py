"""Run the simulator: blocking ``serve`` for the CLI, ``running_simulator`` for tests (loopback only)."""

from __future__ import annotations

import contextlib
import gc
import ipaddress
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import uvicorn

from .app import create_app
from .faults import Faults, parse_faults
from .state import SimState

DEFAULT_PORT = 8765


class PortUnavailable(OSError):
    """The simulator's port cannot be bound (taken, or not allowed)."""


def _check_loopback(host: str) -> None:
    try:
        ok = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        ok = False
    if not ok:
        raise ValueError(f"the simulator binds only to loopback addresses, not {host!r}")


def _exit_on_sigterm(_signum: int, _frame: object) -> None:
    raise SystemExit(0)


def _tune_gc() -> None:
    """For the simulator's own process only (``serve``), never for one running inside a test process.

    A sync request allocates tens of thousands of short-lived objects; with the default thresholds that
    triggered a full collection every few requests, each one walking every loaded contact and module object
    (measured: ~2-5 ms of collector time per 1000-contact request, more the larger the account). What is alive
    now (modules, the loaded state) moves to the permanent generation, and young collections run less often.
    Reference counting still frees everything as before; only the cycle collector looks less often.
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(10_000, 10, 10)


def bind_socket(host: str, port: int) -> socket.socket:
    """The simulator's listening socket, bound (``PortUnavailable`` when the port is taken or not allowed).

    Created as IPPROTO_TCP: asyncio sets TCP_NODELAY only on connections of a socket that says it is TCP (the
    default proto 0 does not), and without it every answer on a kept-alive connection after the first waited
    for the client's delayed ACK (~40 ms a request)."""
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if sys.platform != "win32":  # on Windows SO_REUSEADDR would let a second simulator share the port
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise PortUnavailable(exc.errno, exc.strerror or str(exc)) from exc
    return sock


def serve(
    host: str = "127.0.0.1",
    port: int = DEFAULT_PORT,
    api_key: str = "sim-api-key-0000",
    faults: str | None = None,
    state_file: str | Path | None = None,
    log_level: str = "warning",
    on_ready: Callable[[str], None] | None = None,
) -> None:
    """Blocking. State is loaded from ``state_file`` if it exists and saved back on exit.

    The port is bound before anything else (``PortUnavailable`` when taken; port 0 picks a free one), and
    ``on_ready`` gets the base URL (``http://127.0.0.1:<port>/1.0``) before requests are served.
    Raises ``FaultSpecError`` for a fault spec it cannot read."""
    _check_loopback(host)
    app_faults = parse_faults(faults)
    sock = bind_socket(host, port)
    path = Path(state_file) if state_file else None
    state = SimState.load(path) if path and path.exists() else SimState()
    if api_key not in state.accounts:
        state.add_key(api_key)
    # uvicorn re-raises SIGTERM after its graceful shutdown; as SystemExit it lets the state be saved below
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    app = create_app(state, app_faults)
    _tune_gc()
    server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level=log_level, lifespan="off",
                                           access_log=False))
    try:
        if on_ready is not None:
            bound = sock.getsockname()[1]
            on_ready(f"http://{'[' + host + ']' if ':' in host else host}:{bound}/1.0")
        server.run(sockets=[sock])
    finally:
        sock.close()
        if path is not None:
            state.save(path)


class _ThreadServer(uvicorn.Server):
    def install_signal_handlers(self) -> None:  # not the main thread: leave signals alone
        return None


@contextlib.contextmanager
def running_simulator(
    state: SimState, faults: Faults | str | None = None, log_level: str = "critical", *,
    ssl_certfile: str | Path | None = None, ssl_keyfile: str | Path | None = None,
) -> Iterator[str]:
    """Start uvicorn on 127.0.0.1:<free port> in a thread; yield ``http://127.0.0.1:<port>/1.0``. On leaving,
    the answers still in progress get a second to finish.

    With ``ssl_certfile``/``ssl_keyfile`` (PEM) it serves HTTPS and yields ``https://...``.
    """
    tls = {"ssl_certfile": str(ssl_certfile), "ssl_keyfile": str(ssl_keyfile)} if ssl_certfile else {}
    # stopping cuts off what is still being answered after a second: a request held by a delay fault, whose
    # client was killed, kept the caller waiting out the whole delay
    config = uvicorn.Config(create_app(state, faults), host="127.0.0.1", port=0, log_level=log_level,
                            lifespan="off", access_log=False, timeout_graceful_shutdown=1, **tls)
    server = _ThreadServer(config)
    thread = threading.Thread(target=server.run, name="maileon-simulator", daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("simulator did not start")
        time.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"{'https' if tls else 'http'}://127.0.0.1:{port}/1.0"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@contextlib.contextmanager
def simulator_process(api_key: str, *, state_file: str | Path | None = None,
                      faults: str | None = None) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    """``kufertui simulator`` as a process of its own on a free loopback port, as in real use (tests and
    benchmarks); yields the process and the base URL. Stopped with SIGTERM, which saves ``state_file``."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    cmd = [sys.executable, "-m", "kufertui", "simulator", "--port", str(port), "--api-key", api_key]
    if state_file is not None:
        cmd += ["--state-file", str(state_file)]
    if faults:
        cmd += ["--faults", faults]
    proc = subprocess.Popen(cmd)
    try:
        deadline = time.monotonic() + 20
        while True:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("simulator did not start")
            time.sleep(0.05)
        yield proc, f"http://127.0.0.1:{port}/1.0"
    finally:
        if proc.poll() is None:
            proc.terminate()
        proc.wait(timeout=30)
