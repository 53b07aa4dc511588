"""`build.py` reads a chapter whose file did not change from the build cache (press/engine/model_cache.py):
the same model and the same warnings, and a cache entry cannot run code."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path

from conftest import PROJECT

from press.engine.model_cache import _load

CHAPTER = "---\ntitle: One\nnumber: {n}\n---\n\nThe first paragraph calls a note.[^1]\n\nThe second {word}.\n"


def _model(source: Path, cache: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PRESS_BUILD_CACHE": str(cache)}
    return subprocess.run([sys.executable, str(PROJECT / "build.py"), "model", "--source", str(source), *extra],
                          cwd=PROJECT, env=env, capture_output=True, text=True, check=False)


def _source(tmp_path: Path) -> Path:
    source = tmp_path / "source"
    source.mkdir()
    (source / "book.toml").write_text('title = "Kept"\n', encoding="utf-8")
    for n in (1, 2):
        (source / f"0{n}.md").write_text(CHAPTER.format(n=n, word="one"), encoding="utf-8")
    return source


def test_a_chapter_read_again_from_the_cache_is_the_same_with_its_warnings(tmp_path: Path) -> None:
    source, cache = _source(tmp_path), tmp_path / "cache"
    first = _model(source, cache)
    assert first.returncode == 0, first.stderr
    assert "note-missing" in first.stderr  # the note called has no text
    kept = sorted(cache.rglob("*.model"))
    assert len(kept) == 2
    again = _model(source, cache)
    assert (again.stdout, again.stderr) == (first.stdout, first.stderr)
    assert sorted(cache.rglob("*.model")) == kept
    (source / "02.md").write_text(CHAPTER.format(n=2, word="two"), encoding="utf-8")
    edited = _model(source, cache)
    assert "The second two." in edited.stdout and "The second one." in edited.stdout
    assert len(set(cache.rglob("*.model")) - set(kept)) == 1  # only the edited file read again
    strict = _model(source, cache, "--strict")  # a warning said again from the cache still stops a strict build
    assert strict.returncode == 1 and "note-missing" in strict.stderr


def test_an_entry_that_would_run_code_is_not_loaded(tmp_path: Path) -> None:
    marker = tmp_path / "ran"

    class Hostile:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    assert _load(pickle.dumps((Hostile(), ()))) is None
    assert not marker.exists()
    assert _load(pickle.dumps((Path("x"), ()))) == (Path("x"), ())
