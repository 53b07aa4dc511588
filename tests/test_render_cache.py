"""Jinja's compiled templates are kept on disk (press/engine/render.py) and give the same output."""

from __future__ import annotations

import subprocess
import sys

from conftest import PROJECT

RENDER = """
from pathlib import Path
from press.diagnostics import Reporter
from press.editions.epub.writer import nav_document, title_document
from press.engine import render
from press.readers import read_book
book = read_book(Path("source"), Reporter())
print(render.environment("epub").bytecode_cache.directory)
print(title_document(book).body + nav_document(book))
"""


def _render() -> list[str]:
    result = subprocess.run([sys.executable, "-c", RENDER], cwd=PROJECT, capture_output=True, text=True,
                            check=False)
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


def test_compiled_templates_are_kept_and_render_the_same() -> None:
    folder, *first = _render()
    kept = {path.name for path in (PROJECT / folder).glob("__jinja2_*.cache")}
    assert kept, "the compiled templates are kept"
    folder_again, *again = _render()  # loaded from the folder this time
    assert (folder_again, again) == (folder, first)


def test_a_folder_that_cannot_be_written_only_means_compiling_again(tmp_path, monkeypatch) -> None:
    from jinja2.bccache import Bucket

    from press.engine.render import _Compiled

    compiled = _Compiled(str(tmp_path / "missing"))  # writing into it fails
    bucket = Bucket(None, "key", "checksum")  # type: ignore[arg-type]
    bucket.code = compile("x = 1", "<t>", "exec")
    compiled.dump_bytecode(bucket)  # no error
    assert not (tmp_path / "missing").exists()
