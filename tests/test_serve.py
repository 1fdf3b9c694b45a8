"""``breach serve``: the UI in a browser, on loopback unless asked, one UI process per tab."""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import json
import os
import queue
import shlex
import signal
import socket
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from breach.cli import build_parser, main
from breach.cli.serve import check_bind, tab_command
from breach.errors import BadInput
from breach.settings import Settings

POSIX = os.name == "posix"
LINUX = sys.platform.startswith("linux")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _refused(host: str, port: int) -> bool:
    """Whether nothing accepts a connection at ``host:port``."""
    try:
        with socket.create_connection((host, port), timeout=1):
            return False
    except OSError:
        return True


def _outside_address() -> str | None:
    """An IPv4 address of this machine that is not loopback, or None."""
    found: set[str] = set()
    with contextlib.suppress(OSError), socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
        udp.connect(("198.51.100.1", 9))  # UDP: picks the outgoing address, sends nothing
        found.add(udp.getsockname()[0])
    with contextlib.suppress(OSError):
        for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET):
            found.add(str(info[4][0]))
    outside = [a for a in found if not ipaddress.ip_address(a).is_loopback]
    outside = [a for a in outside if not ipaddress.ip_address(a).is_unspecified]
    return sorted(outside)[0] if outside else None


class Served:
    """A running ``breach serve`` subprocess: its URL, its output so far."""

    def __init__(self, proc: subprocess.Popen[str], port: int) -> None:
        self.proc, self.port = proc, port
        self.lines: queue.Queue[str] = queue.Queue()
        self.out: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        self.url = self._wait_for_url()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line)

    def _wait_for_url(self) -> str:
        while True:
            try:
                line = self.lines.get(timeout=15)
            except queue.Empty:
                raise AssertionError(f"no URL printed: {self.out}") from None
            self.out.append(line)
            if line.startswith("open "):
                return line.split()[1]

    def stop(self) -> tuple[int, str, str]:
        """Ctrl+C: the exit code, the rest of stdout, and stderr."""
        self.proc.send_signal(signal.SIGINT)
        self.proc.wait(timeout=10)
        self.reader.join(timeout=5)  # stdout is the reader's: it has read it all by now
        while not self.lines.empty():
            self.out.append(self.lines.get())
        assert self.proc.stderr is not None
        return self.proc.returncode, "".join(self.out), self.proc.stderr.read()


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[Any]:
    """Start ``breach serve`` with extra options; every server is killed in the end."""
    started: list[subprocess.Popen[str]] = []

    def start(*options: str) -> Served:
        port = _free_port()
        command = [sys.executable, "-m", "breach", "--db", str(tmp_path / "team log.db")]
        proc = subprocess.Popen(
            [*command, "--actor", "ann", "serve", "--port", str(port), *options],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        started.append(proc)
        return Served(proc, port)

    try:
        yield start
    finally:
        for proc in started:
            if proc.poll() is None:
                proc.kill()
            proc.communicate(timeout=10)


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as err:
        return err.code, ""


@pytest.mark.skipif(not POSIX, reason="the tab command is a POSIX shell command")
def test_serves_the_page_on_loopback_only(serve) -> None:
    served = serve()
    assert served.url.startswith(f"http://127.0.0.1:{served.port}/?key=")
    status, page = _get(served.url)
    assert status == 200 and "textual-terminal" in page
    assert f"ws://127.0.0.1:{served.port}/ws/" in page
    assert "fonts.googleapis.com" not in page  # no request to a third party
    assert _get(f"http://127.0.0.1:{served.port}/")[0] == 403  # without the key
    assert _get(f"http://127.0.0.1:{served.port}/?key=guess")[0] == 403
    if LINUX:  # all of 127/8 is loopback: a wildcard bind would answer at 127.0.0.2
        assert _refused("127.0.0.2", served.port)
    outside = _outside_address()
    if outside is not None:
        assert _refused(outside, served.port)
    code, out, err = served.stop()
    assert code == 0 and "stopped" in out and "warning" not in err
    if outside is None:
        pytest.skip("no non-loopback address on this machine: that sub-check was not made")


def _open_tab(url: str, origin: str | None) -> Any:
    """Open the websocket as the page does: the first screen bytes, or the refusal status."""
    import aiohttp

    base, key = url.split("/?key=")

    async def go() -> Any:
        async with aiohttp.ClientSession() as session:
            ws_url = f"{base.replace('http', 'ws', 1)}/ws/{key}?width=80&height=24"
            try:
                async with session.ws_connect(ws_url, origin=origin) as ws:
                    async with asyncio.timeout(10):
                        async for message in ws:
                            if message.type == aiohttp.WSMsgType.BINARY:
                                return message.data
                    return b""
            except aiohttp.WSServerHandshakeError as err:
                return err.status

    return asyncio.run(go())


@pytest.mark.skipif(not POSIX, reason="the tab command is a POSIX shell command")
def test_a_tab_starts_a_ui_and_a_foreign_page_cannot(serve) -> None:
    served = serve()
    base = served.url.split("/?")[0]
    assert _open_tab(served.url, "http://evil.example") == 403
    screen = _open_tab(served.url, base)
    assert isinstance(screen, bytes) and screen  # the UI process draws its first screen
    code, _, err = served.stop()
    assert code == 0, err


@pytest.mark.skipif(not POSIX, reason="the tab command is a POSIX shell command")
def test_any_address_is_only_on_request_and_warns(serve) -> None:
    served = serve("--host", "0.0.0.0")
    assert served.url.startswith(f"http://127.0.0.1:{served.port}/?key=")
    assert _get(served.url)[0] == 200
    if LINUX:
        assert not _refused("127.0.0.2", served.port)
    code, _, err = served.stop()
    assert code == 0
    assert "warning: listening on 0.0.0.0" in err
    assert "no login" in err and "ssh -L" in err and "'ann'" in err


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--port", "0"], "--port: '0' is not a port number"),
        (["--port", "70000"], "--port: '70000' is not a port number"),
        (["--port", "http"], "--port: 'http' is not a port number"),
        (["--host", "not a host"], "--host: 'not a host' is not an IP address or a host name"),
        (["--host", "999.1.1.1"], "--host: '999.1.1.1' is not an IP address"),
        (["--host", ""], "--host: '' is not an IP address"),
    ],
)
def test_bad_host_or_port_is_one_line_exit_2(capsys, tmp_path, options, message) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--db", str(tmp_path / "x.db"), "serve", *options])
    err = capsys.readouterr().err.strip().splitlines()
    assert exit_info.value.code == 2
    assert len(err) == 1 and err[0].startswith(f"breach: {message}"), err
    assert not (tmp_path / "x.db").exists()  # refused before the log is touched


def test_a_port_in_use_is_one_line_exit_1(capsys, tmp_path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(SystemExit) as exit_info:
            main(["--db", str(tmp_path / "x.db"), "serve", "--port", str(port)])
    err = capsys.readouterr().err.strip().splitlines()
    assert exit_info.value.code == 1
    assert err == [f"breach: port {port} is in use on 127.0.0.1; choose another: --port N"]
    assert not (tmp_path / "x.db").exists()


def test_loopback_is_told_from_the_network() -> None:
    assert check_bind(None, None) == check_bind("127.0.0.1", "8000")
    assert check_bind(None, None).loopback
    assert check_bind("::1", "8001").loopback and check_bind("[::1]", "1").host == "::1"
    assert check_bind("localhost", "8000").loopback
    assert not check_bind("0.0.0.0", "8000").loopback
    assert not check_bind("::", "8000").loopback
    assert check_bind("0.0.0.0", "8080").url("K") == "http://127.0.0.1:8080/?key=K"
    with pytest.raises(BadInput):
        check_bind("127.0.0.1; rm -rf /", None)


@pytest.mark.skipif(not POSIX, reason="the tab command is a POSIX shell command")
def test_the_tab_command_passes_everything_quoted(tmp_path) -> None:
    """Through a real shell: odd paths and names arrive as one argument each, unrun."""
    echo = tmp_path / "echo-args"
    echo.write_text(
        f"#!{sys.executable}\nimport json, os, sys\n"
        "print(json.dumps([sys.argv[1:], os.environ.get('TZ')]))\n"
    )
    echo.chmod(0o755)
    odd = tmp_path / 'it\'s a "log" $(touch pwned); `x`.db'
    settings = Settings.load(
        db=str(odd), rules=str(tmp_path / "my rules"), zone="Europe/Berlin", actor="-o'x; ls"
    )
    command = tab_command(settings, python=str(echo))
    proc = subprocess.run(command, shell=True, capture_output=True, text=True, cwd=tmp_path)
    words, zone = json.loads(proc.stdout)
    assert zone == "Europe/Berlin" and not (tmp_path / "pwned").exists()
    args = build_parser().parse_args(words[2:])  # after "-m breach"
    assert words[:2] == ["-m", "breach"] and args.command is None  # the UI
    assert (args.db, args.actor, args.rules) == (str(odd), "-o'x; ls", str(tmp_path / "my rules"))
    assert shlex.split(command)[0] == "TZ=Europe/Berlin"
