"""`build.py serve`: the preview's HTTP server, on loopback only.

The standard library's ThreadingHTTPServer is enough for one person's
browser tabs on this machine, and needs nothing installed. Every URL is
looked up in a fixed set of routes, never mapped onto the file system:
`/` (the page, rendered with the project's Jinja environment),
`/preview.js` and `/preview.css` (two files of templates/preview/, by
name), `/events` (server-sent events: the state after every change),
`/state.json` and `/page/DIGEST.png` (a page image the preview made).
Anything else is a 404, and so is a request whose Host header is not this
loopback address (a web page elsewhere cannot reach the preview by
rebinding a name to 127.0.0.1).
"""

from __future__ import annotations

import ipaddress
import json
import re
import shutil
import signal
import socket
import sys
import tempfile
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from press.paths import TEMPLATES
from press.preview.builder import Builder, Plan
from press.preview.pages import Preview

DEFAULT_PORT = 8000
STATIC = {"/preview.js": ("preview.js", "text/javascript; charset=utf-8"),
          "/preview.css": ("preview.css", "text/css; charset=utf-8")}
IMAGE = re.compile(r"/page/([0-9a-f]{32})\.png")
KEEP_ALIVE_SECONDS = 15
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
                               "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


class ServeError(Exception):
    """A reason not to start, said as `error [serve] ...`; `status` is the exit status."""

    def __init__(self, message: str, status: int = 2) -> None:
        super().__init__(message)
        self.status = status


def loopback(host: str) -> str:
    """The address to listen on, if it is a loopback one; else ServeError."""
    if host == "localhost":
        return "127.0.0.1"
    try:
        if ipaddress.ip_address(host).is_loopback:
            return host
    except ValueError:
        pass
    raise ServeError(f"refusing to listen on {host}: the preview serves this machine only "
                     "(a loopback address: 127.0.0.1, the default, or ::1)")


class Rebuilds:
    """One build at a time; what is saved meanwhile is merged into the next one."""

    def __init__(self, builder: Builder, preview: Preview) -> None:
        self.builder, self.preview = builder, preview
        self._pending: Plan | None = None
        self._stopping = False
        self._wake = threading.Condition()
        self.thread = threading.Thread(target=self._run, name="press-preview-rebuilds", daemon=True)

    def request(self, plan: Plan) -> None:
        with self._wake:
            self._pending = plan if self._pending is None else self._pending.merge(plan)
            self._wake.notify()

    def stop(self) -> None:
        with self._wake:
            self._stopping = True
            self._wake.notify()

    def _run(self) -> None:
        while True:
            with self._wake:
                self._wake.wait_for(lambda: self._pending is not None or self._stopping)
                if self._stopping:
                    return
                plan, self._pending = self._pending, None
            try:
                for result in self.builder.run(plan):  # type: ignore[arg-type]
                    self.preview.apply(result)
            except (EOFError, OSError):
                if not self._stopping:
                    message = "error [serve] the build process stopped; start build.py serve again"
                    print(message, file=sys.stderr)
                    self.preview.stopped(message)
                return


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True  # an open event stream does not keep the process alive
    block_on_close = False

    def __init__(self, address: tuple[str, int], preview: Preview) -> None:
        self.address_family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        super().__init__(address, Handler)
        self.preview = preview
        self.stopping = threading.Event()
        host, port = self.server_address[:2]
        shown = f"[{host}]" if ":" in host else host
        self.url = f"http://{shown}:{port}/"
        self.hosts = {f"{name}:{port}" for name in (shown, "localhost")}


class Handler(BaseHTTPRequestHandler):
    server: PreviewServer
    server_version = "press-preview"
    sys_version = ""

    def do_GET(self) -> None:  # the standard library names it
        self._route(body=True)

    def do_HEAD(self) -> None:
        self._route(body=False)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # the terminal is for the build's diagnostics

    def _route(self, body: bool) -> None:
        path = urlsplit(self.path).path if self.path.startswith("/") else ""
        if self.headers.get("Host", "") not in self.server.hosts:
            return self._not_found(body)
        if path == "/":
            return self._send(self._page().encode(), "text/html; charset=utf-8", body)
        if path in STATIC:
            name, kind = STATIC[path]
            return self._send((TEMPLATES / "preview" / name).read_bytes(), kind, body)
        if path == "/state.json":
            return self._send(json.dumps(self.server.preview.snapshot()).encode(), "application/json", body)
        if path == "/events" and body:
            return self._events()
        if (match := IMAGE.fullmatch(path)) and (png := self.server.preview.image(match[1])) is not None:
            return self._send(png, "image/png", body, cache="public, max-age=31536000, immutable")
        return self._not_found(body)

    def _page(self) -> str:
        from press.engine.render import render

        state = self.server.preview.snapshot()
        return render("preview", "preview.html", state=state)

    def _send(self, data: bytes, kind: str, body: bool, cache: str = "no-store",
              status: HTTPStatus = HTTPStatus.OK) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", cache)
        for name, value in SECURITY_HEADERS.items():
            self.send_header(name, value)
        self.end_headers()
        if body:
            self.wfile.write(data)

    def _not_found(self, body: bool) -> None:
        self._send(b"not found\n", "text/plain; charset=utf-8", body, status=HTTPStatus.NOT_FOUND)

    def _events(self) -> None:
        """The state now, then after every change; a comment now and then keeps the stream open."""
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        for name, value in SECURITY_HEADERS.items():
            self.send_header(name, value)
        self.end_headers()
        preview = self.server.preview
        state: dict[str, Any] | None = preview.snapshot()
        try:
            while not self.server.stopping.is_set():
                if state is None:
                    self.wfile.write(b": still here\n\n")
                else:
                    data = json.dumps(state, ensure_ascii=False)
                    self.wfile.write(f"id: {state['version']}\nevent: state\ndata: {data}\n\n".encode())
                    version = state["version"]
                self.wfile.flush()
                state = preview.wait(version, KEEP_ALIVE_SECONDS)
        except (BrokenPipeError, ConnectionResetError):
            return


def serve(source: Path, port: int = DEFAULT_PORT, host: str = "127.0.0.1") -> int:
    """Serve the preview of `source` until Ctrl-C; the exit status."""
    try:
        return _serve(source, port, loopback(host))
    except ServeError as failure:
        print(f"error [serve] {failure}", file=sys.stderr)
        return failure.status


def _serve(source: Path, port: int, host: str) -> int:
    if not source.is_dir():
        print(f"{source}: error [source] source folder not found", file=sys.stderr)
        return 1
    if not 0 <= port <= 65535:
        raise ServeError(f"--port {port}: a port is a number from 0 to 65535")
    preview = Preview()
    try:
        server = PreviewServer((host, port), preview)
    except OSError as failure:
        raise ServeError(f"cannot listen on {host}:{port}: {failure.strerror}", 1) from None
    scratch = Path(tempfile.mkdtemp(prefix="press-preview-"))
    builder = Builder(source.resolve(), scratch)
    rebuilds = Rebuilds(builder, preview)
    watching = threading.Thread(target=_watch, args=(source, server.stopping, rebuilds), daemon=True,
                                name="press-preview-watch")
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        rebuilds.thread.start()
        rebuilds.request(Plan(book=True, sheets=None, sheets_first=True, reason="first build"))
        watching.start()
        print(f"preview of {source} at {server.url} (Ctrl-C to stop)", flush=True)
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        print("preview stopped", file=sys.stderr)
    finally:
        server.stopping.set()
        rebuilds.stop()
        builder.stop()
        server.server_close()
        rebuilds.thread.join(2)
        watching.join(2)
        preview.close()
        shutil.rmtree(scratch, ignore_errors=True)
        signal.signal(signal.SIGTERM, previous)
    return 0


def _watch(source: Path, stop: threading.Event, rebuilds: Rebuilds) -> None:
    from press.preview.watch import changes

    for plan in changes(source, stop):
        rebuilds.request(plan)


def _interrupt(_signal: int, _frame: Any) -> None:
    raise KeyboardInterrupt
