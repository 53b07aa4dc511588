"""The preview server without a browser: loopback only, fixed routes, 404 for everything else."""

from __future__ import annotations

import http.client
import json
import time
from pathlib import Path

import pytest

from press.preview.builder import Plan
from press.preview.pages import Edition, Page
from press.preview.server import ServeError, loopback
from press.preview.watch import plan_for
from tests.conftest import build
from tests.preview_server import Served, alive, descendants, sample_copy, start

ESCAPES = ["/../../etc/passwd", "/..%2f..%2fetc%2fpasswd", "/%2e%2e/%2e%2e/etc/passwd", "//etc/passwd",
           "/page/../../etc/passwd", "/page/..%2f..%2fetc%2fpasswd.png", "/preview.js/../../../etc/passwd",
           "/preview.css/..", "/templates/preview/preview.html", "/preview.html", "/source/book.toml",
           "/book.toml", "/01-psalm-121.md", "/sheets/guarded.toml", "/output/book.pdf", "/book.pdf",
           "/page/00000000000000000000000000000000.png", "/page/" + "a" * 32 + ".png/../../etc/passwd",
           "/state.json/../../etc/passwd", "/./preview.js", "/PREVIEW.JS", "/events/../../etc/passwd",
           "/\\..\\..\\etc\\passwd", "http://127.0.0.1/../../etc/passwd", "*"]


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.10", "10.0.0.1", "::", "2001:db8::1", "example.com", ""])
def test_a_non_loopback_address_is_refused(host: str) -> None:
    with pytest.raises(ServeError, match="refusing to listen"):
        loopback(host)


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "::1", "localhost"])
def test_loopback_addresses_are_accepted(host: str) -> None:
    assert loopback(host) in ("127.0.0.1", "127.0.0.2", "::1")


def test_serve_refuses_to_bind_a_non_loopback_address_on_the_command_line(tmp_path: Path) -> None:
    result = build("serve", "--source", str(sample_copy(tmp_path)), "--bind", "0.0.0.0", "--port", "0")
    assert result.returncode == 2
    assert result.stderr.strip() == ("error [serve] refusing to listen on 0.0.0.0: the preview serves this machine "
                                     "only (a loopback address: 127.0.0.1, the default, or ::1)")
    assert "Traceback" not in result.stderr


def test_serve_names_a_missing_source_folder(tmp_path: Path) -> None:
    result = build("serve", "--source", str(tmp_path / "nothing"), "--port", "0")
    assert result.returncode == 1
    assert result.stderr.strip() == f"{tmp_path / 'nothing'}: error [source] source folder not found"


def test_saved_files_choose_the_rebuild(tmp_path: Path) -> None:
    source = tmp_path
    assert plan_for([source / "01-psalm.md"], source) == Plan(book=True, sheets=None, reason="01-psalm.md")
    assert plan_for([source / "book.toml"], source).book  # type: ignore[union-attr]
    sheet = plan_for([source / "sheets" / "week.toml"], source)
    assert sheet == Plan(book=False, sheets=frozenset({"week"}), reason="sheets/week.toml")
    both = plan_for([source / "sheets" / "week.toml", source / "02-avot.txt"], source)
    assert both is not None and both.book and both.sheets is None
    for ignored in (".01-psalm.md.swp", "01-psalm.md~", "#01-psalm.md#", "notes.pdf", "4913", "build.py"):
        assert plan_for([source / ignored], source) is None, ignored
    assert plan_for([source / "drafts" / "x.md"], source) is None
    assert plan_for([tmp_path.parent / "elsewhere.md"], source) is None


def test_a_sheet_says_whether_it_fits_as_the_warning_does() -> None:
    page = Page("0" * 32, "1", 612, 792)
    assert Edition("sheet:a", "sheet", "A", (page,), False, (), 1).fit_text == "fits its 1 page"
    over = Edition("sheet:a", "sheet", "A", (page,) * 3, False, (), 2)
    assert (over.fit_text, over.fits) == ("needs 3 pages, but `fit` asks for 2 pages", False)
    assert Edition("sheet:a", "sheet", "A", (page,) * 2, False, (), None).fit_text.startswith("2 pages")


def request(served: Served, path: str, host: str | None = None) -> tuple[int, bytes, dict[str, str]]:
    connection = http.client.HTTPConnection("127.0.0.1", served.port, timeout=10)
    try:
        connection.putrequest("GET", path, skip_host=True, skip_accept_encoding=True)
        connection.putheader("Host", host or f"127.0.0.1:{served.port}")
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.read(), dict(response.getheaders())
    finally:
        connection.close()


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("preview")
    running = start(sample_copy(folder), folder)
    yield running
    status, strays = running.stop()
    assert status == 0 and not strays


@pytest.mark.parametrize("path", ESCAPES)
def test_anything_but_the_previews_own_files_is_a_404(served: Served, path: str) -> None:
    status, body, _ = request(served, path)
    assert status == 404, path
    assert b"root:" not in body and b"title" not in body


def test_the_previews_own_files_are_served(served: Served) -> None:
    status, body, headers = request(served, "/")
    assert status == 200 and b'<script src="/preview.js" defer>' in body
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert request(served, "/preview.js")[0] == 200
    assert request(served, "/preview.css")[0] == 200
    assert json.loads(request(served, "/state.json")[1])["status"] in ("starting", "building", "ready")


def test_another_host_name_is_a_404(served: Served) -> None:
    """A page elsewhere that rebinds its name to 127.0.0.1 sends its own name as Host."""
    assert request(served, "/", host=f"attacker.example:{served.port}")[0] == 404
    assert request(served, "/state.json", host="127.0.0.1")[0] == 404
    assert request(served, "/", host=f"localhost:{served.port}")[0] == 200


def test_page_images_are_made_from_the_built_pdf(served: Served) -> None:
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        state = json.loads(request(served, "/state.json")[1])
        if state["status"] == "ready":
            break
        time.sleep(0.3)
    assert state["status"] == "ready", state
    book = next(e for e in state["editions"] if e["kind"] == "book")
    status, png, headers = request(served, book["pages"][0]["src"])
    assert status == 200 and png.startswith(b"\x89PNG") and headers["Content-Type"] == "image/png"
    sheet = next(e for e in state["editions"] if e["key"] == "sheet:guarded")
    assert sheet["fit"] == "fits its 1 page" and len(sheet["pages"]) == 1


def test_a_port_in_use_or_out_of_range_is_said_plainly(tmp_path: Path) -> None:
    import socket

    source = sample_copy(tmp_path)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = build("serve", "--source", str(source), "--port", str(port))
    assert (result.returncode, result.stderr.strip()) == (
        1, f"error [serve] cannot listen on 127.0.0.1:{port}: Address already in use")
    result = build("serve", "--source", str(source), "--port", "70000")
    assert (result.returncode, result.stderr.strip()) == (2, "error [serve] --port 70000: a port is a number "
                                                             "from 0 to 65535")


def test_ctrl_c_during_a_build_leaves_no_worker_behind(tmp_path: Path) -> None:
    """An empty build cache: the first build lays the chapters out in worker processes; Ctrl-C then."""
    import os

    env = {**os.environ, "PRESS_BUILD_CACHE": str(tmp_path / "cache")}
    served = start(sample_copy(tmp_path), tmp_path, env=env)
    def workers() -> set[int]:
        """Python processes two levels down: the builder's layout workers."""
        below = descendants(served.process.pid)
        second = set().union(*(descendants(pid) for pid in below)) if below else set()
        return {pid for pid in second if b"python" in _cmdline(pid)}

    deadline = time.monotonic() + 180
    try:
        while not (seen := workers()) and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        status, strays = served.stop()  # whatever happens, the server does not outlive the test
    assert seen, "no layout worker was seen"
    assert status == 0 and not strays
    assert not [pid for pid in seen if alive(pid)]
    stderr = served.stderr.read_text(encoding="utf-8")
    assert "Traceback" not in stderr, stderr


def _cmdline(pid: int) -> bytes:
    try:
        return (Path("/proc") / str(pid) / "cmdline").read_bytes()
    except OSError:
        return b""
