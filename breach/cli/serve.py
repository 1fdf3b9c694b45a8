"""``breach serve``: the terminal UI in a browser, one UI process per tab (textual-serve).

Each tab runs ``python -m breach`` on the same log, rules, zone and actor as the server.
textual-serve has no login, so the page and its websocket are refused without the random
key in the printed URL: without it, another user of the machine (127.0.0.1 is open to
every local account) or any web page open in the same browser (browsers let pages open
websockets to any address) could drive the UI and change the log in the server's name.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import hmac
import ipaddress
import logging
import os
import re
import secrets
import shlex
import signal
import socket
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import aiohttp_jinja2
import jinja2
from aiohttp import web
from textual_serve.server import Server, to_int

from ..errors import BreachError
from ..settings import Settings
from .common import UsageError

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
#: how long open tabs get to end their UI processes on Ctrl+C
SHUTDOWN_SECONDS = 3.0

_HOSTNAME = re.compile(
    r"(?=.{1,253}\Z)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?\Z"
)
#: what a Host header may hold before it is written into the page's URLs
_HOST_HEADER = re.compile(r"[A-Za-z0-9.:\[\]%-]{1,300}\Z")
#: the page's web font comes from Google: a request (with the responder's address) to a
#: third party on every page load; the terminal falls back to a local monospace font
_THIRD_PARTY_FONT = re.compile(r"<link[^>]*fonts\.googleapis\.com[^>]*>", re.DOTALL)


@dataclass(frozen=True)
class Bind:
    """Where the server listens; ``loopback``: only this machine can reach it."""

    host: str
    port: int
    loopback: bool

    @property
    def unspecified(self) -> bool:
        """Listening on every address (``0.0.0.0``, ``::``)."""
        with contextlib.suppress(ValueError):
            return ipaddress.ip_address(self.host).is_unspecified
        return False

    def url(self, key: str, host: str | None = None) -> str:
        """The address to open (at ``host``; for ``0.0.0.0``/``::``: on this machine)."""
        if host is None:
            host = self.host
            if self.unspecified:
                host = "127.0.0.1" if host == "0.0.0.0" else "::1"
        shown = f"[{host}]" if ":" in host else host
        return f"http://{shown}:{self.port}/?key={key}"


def check_bind(host: str | None, port: str | None) -> Bind:
    """The address and port to listen on, checked (one line, exit 2, when wrong)."""
    number = DEFAULT_PORT
    if port is not None:
        if not re.fullmatch(r"[0-9]{1,5}", port) or not 1 <= int(port) <= 65535:
            raise UsageError(f"--port: {port[:40]!r} is not a port number (1-65535)")
        number = int(port)
    name = DEFAULT_HOST if host is None else host.strip()
    if name.startswith("[") and name.endswith("]"):
        name = name[1:-1]  # an IPv6 address as written in URLs
    try:
        addresses = [ipaddress.ip_address(name)]
    except ValueError:
        # all digits and dots but not an IPv4 address (999.1.1.1): a typo, never a name
        if not _HOSTNAME.match(name) or name.rstrip(".").replace(".", "").isdigit():
            raise UsageError(f"--host: {name[:60]!r} is not an IP address or a host name") from None
        try:
            found = socket.getaddrinfo(name, number, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError):
            raise UsageError(f"--host: {name!r} is not a name this machine can resolve") from None
        addresses = [ipaddress.ip_address(str(info[4][0])) for info in found]
    return Bind(name, number, all(address.is_loopback for address in addresses))


def tab_command(settings: Settings, python: str | None = None) -> str:
    """The shell command each browser tab runs: the UI on the server's log, rules, zone
    and actor. Every value is quoted, and given as ``--option=value`` so that one starting
    with ``-`` is read as a value, never as an option."""
    if os.name != "posix":  # textual-serve runs it with the system shell: cmd.exe quotes otherwise
        raise BreachError("breach serve needs a POSIX shell (Linux, macOS, WSL)")
    words = [
        python or sys.executable,
        "-m",
        "breach",
        f"--db={Path(settings.db).absolute()}",  # the tab's working folder is the server's
        f"--actor={settings.actor}",
    ]
    if settings.rules_dir is not None:
        words.append(f"--rules={Path(settings.rules_dir).absolute()}")
    command = shlex.join(words)
    if settings.zone:  # the UI takes its zone from TZ (``breach`` alone has no --tz)
        command = f"TZ={shlex.quote(settings.zone)} {command}"
    return command


def serve(
    bind: Bind,
    command: str,
    ready: Callable[[str], None],
    key: str | None = None,
) -> None:
    """Serve the UI until Ctrl+C (or SIGTERM); ``ready`` gets the key once listening (and
    may raise a :class:`BreachError` to stop)."""
    server = _Server(command, bind, key or secrets.token_urlsafe(24))
    with contextlib.suppress(KeyboardInterrupt):  # Ctrl+C before the handler is set
        asyncio.run(server.run(ready))


def _bind_error(err: OSError, bind: Bind) -> BreachError:
    where = f"{bind.host}:{bind.port}"
    if err.errno == errno.EADDRINUSE:
        return BreachError(f"port {bind.port} is in use on {bind.host}; choose another: --port N")
    if err.errno == errno.EADDRNOTAVAIL:
        return UsageError(f"--host: {bind.host} is not an address of this machine")
    if err.errno == errno.EACCES:
        return BreachError(
            f"not allowed to listen on {where} (ports below 1024 need privileges); "
            f"use --port {DEFAULT_PORT}"
        )
    return BreachError(f"cannot listen on {where}: {err.strerror or err}")


class _Server(Server):
    """textual-serve's server with the key, the same-origin check, URLs taken from the
    request (so a tunnel to another local port works), plain log lines and a quick stop."""

    def __init__(self, command: str, bind: Bind, key: str) -> None:
        super().__init__(command, host=bind.host, port=bind.port, title="breach")
        self.bind = bind
        self.key = key
        #: the handler of each open tab: cancelled on stop, it tells its UI process to quit
        self.tabs: set[asyncio.Task[object]] = set()

    def initialize_logging(self) -> None:
        # textual-serve's own logging is rich markup for the whole process; one plain
        # line per problem (an app that failed to start) is enough here
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("breach serve: %(message)s"))
        logger = logging.getLogger("textual-serve")
        logger.handlers[:] = [handler]
        logger.setLevel(logging.WARNING)
        logger.propagate = False

    async def _make_app(self) -> web.Application:
        app = web.Application()
        aiohttp_jinja2.setup(app, loader=jinja2.FunctionLoader(self._template), autoescape=True)
        app.add_routes(
            [
                web.get("/", self.handle_index, name="index"),
                web.get("/ws/{key}", self.handle_websocket, name="websocket"),
                web.get("/download/{key}", self.handle_download, name="download"),
                web.static("/static", self.statics_path, name="static"),
            ]
        )
        return app

    def _template(self, name: str) -> str:
        text = (Path(self.templates_path) / Path(name).name).read_text(encoding="utf-8")
        return _THIRD_PARTY_FONT.sub("", text)

    def _has_key(self, given: str | None) -> bool:
        return given is not None and hmac.compare_digest(given.encode(), self.key.encode())

    async def handle_index(self, request: web.Request) -> web.Response:
        """The page, for a request with the key; its URLs use the address it was asked at."""
        if not self._has_key(request.query.get("key")):
            raise web.HTTPForbidden(text="breach serve: open the address it printed (with ?key=)")
        if not _HOST_HEADER.match(request.host):
            raise web.HTTPBadRequest(text="breach serve: bad Host header")
        context = {
            "font_size": to_int(request.query.get("fontsize", "16"), 16),
            "app_websocket_url": f"ws://{request.host}/ws/{self.key}",
            "config": {"static": {"url": f"http://{request.host}/static/"}},
            "application": {"name": self.title},
        }
        response = aiohttp_jinja2.render_template("app_index.html", request, context)
        # the key is in the address: never send it on, never keep the page
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["Cache-Control"] = "no-store"
        return response

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """One UI process for a tab that has the key and comes from this server's page."""
        origin = request.headers.get("Origin")
        if not self._has_key(request.match_info["key"]) or (
            origin is not None and origin != f"http://{request.host}"
        ):
            raise web.HTTPForbidden(text="breach serve: refused")
        task = asyncio.current_task()
        assert task is not None
        self.tabs.add(task)
        try:
            return await super().handle_websocket(request)
        finally:
            self.tabs.discard(task)

    async def run(self, ready: Callable[[str], None]) -> None:
        """Listen, call ``ready`` with the key, and serve until SIGINT or SIGTERM."""
        self.initialize_logging()
        runner = web.AppRunner(
            await self._make_app(), access_log=None, shutdown_timeout=SHUTDOWN_SECONDS
        )
        await runner.setup()
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for number in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError):  # Windows: Ctrl+C raises instead
                loop.add_signal_handler(number, stop.set)
        try:
            try:
                await web.TCPSite(runner, self.bind.host, self.bind.port).start()
            except OSError as err:
                raise _bind_error(err, self.bind) from None
            ready(self.key)
            await stop.wait()
        finally:
            # aiohttp would wait for open tabs (websockets) to end by themselves first
            for task in self.tabs:
                task.cancel()
            if self.tabs:
                await asyncio.wait(self.tabs, timeout=SHUTDOWN_SECONDS)
            await runner.cleanup()


__all__ = ["DEFAULT_HOST", "DEFAULT_PORT", "Bind", "check_bind", "serve", "tab_command"]
