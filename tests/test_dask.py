"""book.pdf laid out on a Dask cluster (`--executor dask://`): the same bytes as the local pool.

A LocalCluster of two worker processes, one thread each, started in this
process; the builds run as a user runs them (build.py in a subprocess).
The cluster is started without SOURCE_DATE_EPOCH: the workers take the
client's, carried with each book (press/engine/shared_pool.py).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import PROJECT
from distributed import LocalCluster

from press.diagnostics import BuildError
from press.editions.book import worker
from press.engine import shared_pool

EPOCH = "1700000000"


@pytest.fixture(scope="module")
def cluster() -> Iterator[LocalCluster]:
    saved = {name: os.environ.get(name) for name in ("SOURCE_DATE_EPOCH", "PYTHONPATH")}
    os.environ.pop("SOURCE_DATE_EPOCH", None)
    os.environ["PYTHONPATH"] = str(PROJECT)  # as README: Dask says to start a worker
    try:
        with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as running:
            yield running
    finally:
        for name, value in saved.items():
            os.environ.pop(name, None) if value is None else os.environ.__setitem__(name, value)


def run_build(*args: str, cache: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PRESS_BUILD_CACHE": str(cache), "SOURCE_DATE_EPOCH": EPOCH}
    env.pop("PRESS_EXECUTOR", None)
    return subprocess.run([sys.executable, str(PROJECT / "build.py"), *args], env=env, capture_output=True,
                          text=True, check=False)


def three_chapters(folder: Path, table: str) -> Path:
    """The sample book and its psalm again as a third chapter; `table` appended to [print]."""
    source = folder / "source"
    shutil.copytree(PROJECT / "source", source)
    psalm = (source / "01-psalm-121.md").read_text(encoding="utf-8")
    (source / "03-psalm-again.md").write_text(psalm.replace("number: 1", "number: 3"), encoding="utf-8")
    toml = (source / "book.toml").read_text(encoding="utf-8")
    (source / "book.toml").write_text(toml.replace("[print]\n", f"[print]\n{table}\n"), encoding="utf-8")
    return source


# Arabic folios are stamped from samples; Hebrew ones are laid out as furniture pages: both job kinds.
@pytest.mark.parametrize("table", ["", 'folio = "hebrew"'], ids=["stamped-folios", "laid-out-folios"])
def test_dask_book_is_byte_identical_to_the_local_pool(cluster: LocalCluster, tmp_path: Path, table: str) -> None:
    source = three_chapters(tmp_path, table)
    local = run_build("pdf", "--source", str(source), "--out", str(tmp_path / "local"), cache=tmp_path / "c1")
    assert local.returncode == 0, local.stderr
    on_dask = run_build("pdf", "--source", str(source), "--out", str(tmp_path / "dask"), "--executor",
                        f"dask://{cluster.scheduler_address.removeprefix('tcp://')}", cache=tmp_path / "c2")
    assert on_dask.returncode == 0, on_dask.stderr
    assert "chapters: 3, 0 from the cache, 3 laid out" in on_dask.stdout  # a cache of its own: all laid out
    assert "run_prepared" in cluster.scheduler.task_prefixes, "the layout jobs ran on the cluster"
    pdf = (tmp_path / "dask" / "book.pdf").read_bytes()
    assert pdf == (tmp_path / "local" / "book.pdf").read_bytes()


def test_library_on_dask_builds_the_good_books(cluster: LocalCluster, tmp_path: Path) -> None:
    from test_library import three_books

    books = three_books(tmp_path)
    result = run_build("library", str(books), "--outputs", "pdf", "--out", str(tmp_path / "out"), "--executor",
                       f"dask://{cluster.scheduler_address.removeprefix('tcp://')}", cache=tmp_path / "c")
    assert result.returncode == 1, result.stderr
    assert (tmp_path / "out" / "alpha" / "book.pdf").is_file()
    assert (tmp_path / "out" / "gamma" / "book.pdf").is_file()
    assert not (tmp_path / "out" / "beta").exists()
    assert "library: 2 of 3 books built" in result.stdout


def test_a_worker_of_another_checkout_refuses(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fingerprint guard, in this process: a preparation made elsewhere is not laid out here."""
    monkeypatch.setattr(shared_pool, "_prepared_for", "")
    prepared = shared_pool.Preparation(worker.start, (None,), (), "another checkout")
    with pytest.raises(BuildError) as raised:
        shared_pool.run_prepared("some book", prepared, len, "abc")
    assert raised.value.diagnostics[0].code == "executor"


def test_a_bad_executor_is_one_line(tmp_path: Path) -> None:
    result = run_build("pdf", "--out", str(tmp_path / "out"), "--executor", "spark://x", cache=tmp_path / "c")
    assert result.returncode == 1
    assert result.stderr.strip() == "error [executor] unknown executor 'spark://x': give local or dask://HOST:PORT"
    assert not (tmp_path / "out").exists()


def test_without_distributed_dask_is_one_line(tmp_path: Path) -> None:
    """As on a machine without the optional package: its import fails."""
    script = ("import sys; sys.modules['distributed'] = None; from press.cli import main; "
              f"sys.exit(main(['pdf', '--out', {str(tmp_path / 'out')!r}, '--executor', 'dask://127.0.0.1:8786']))")
    result = subprocess.run([sys.executable, "-c", script], cwd=PROJECT, capture_output=True, text=True, check=False)
    assert result.returncode == 1
    assert result.stderr.strip().startswith("error [executor] dask://127.0.0.1:8786 needs the optional package")
    assert "Traceback" not in result.stderr
