"""The command line: parse arguments, call the library, return an exit code.

Exit status: 0 built, 1 the sources have an error (printed as
`path:line: error [code] message`), 2 the command line is wrong, 3 an
internal error (a bug: one line naming the input being processed; the
traceback only with --debug).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from press.diagnostics import BuildError, Reporter, error, internal_error, processing
from press.editions import WRITERS, cache_command
from press.model import Book

if TYPE_CHECKING:
    from press.engine.pool import Shared

EPILOG = """examples:
  python build.py                          build book.pdf, booklet.pdf, book.epub and sheet.pdf
  python build.py pdf --source DIR         build one output from another source folder
  python build.py sheet --passage 45:3-8   a study sheet of blocks 3 to 8 of chapter 45
  python build.py sheet week-12            the study sheet source/sheets/week-12.toml
  python build.py model                    print the document model as JSON
  python build.py serve --port 8000        a live preview at http://127.0.0.1:8000/
  python build.py library books/           every book folder under books/ into output/NAME/
  python build.py --executor dask://HOST:8786   lay the book out on a Dask cluster (README: Dask)

  python build.py --strict                 stop at the first warning, as an error (also -W)

exit status: 0 built; 1 an error in the sources (reported as path:line: error [code] message); 2 bad command line;
3 internal error (please report it; --debug shows the traceback)"""


def _folders(defaults: bool) -> argparse.ArgumentParser:
    """--source and --out; after a command they default to nothing, so that
    `build.py --source DIR pdf` keeps DIR."""
    folders = argparse.ArgumentParser(add_help=False)
    folders.add_argument("--source", type=Path, default=Path("source") if defaults else argparse.SUPPRESS,
                         metavar="DIR", help="folder with book.toml and the chapter files (default: source)")
    folders.add_argument("--out", type=Path, default=Path("output") if defaults else argparse.SUPPRESS,
                         metavar="DIR", help="folder the outputs are written to (default: output)")
    folders.add_argument("-W", "--strict", action="store_true", default=False if defaults else argparse.SUPPRESS,
                         help="turn every warning into an error (exit status 1): an unfinished book stops")
    folders.add_argument("--debug", action="store_true", default=False if defaults else argparse.SUPPRESS,
                         help="on an internal error, show the Python traceback")
    folders.add_argument("--executor", default=None if defaults else argparse.SUPPRESS, metavar="SPEC",
                         help="where book.pdf's layout jobs run: local (worker processes here, the default) or "
                         "dask://HOST:PORT (a Dask scheduler); default: $PRESS_EXECUTOR, else local")
    return folders


def parser() -> argparse.ArgumentParser:
    common = _folders(defaults=False)
    main = argparse.ArgumentParser(prog="build.py", parents=[_folders(defaults=True)], epilog=EPILOG,
                                   formatter_class=argparse.RawDescriptionHelpFormatter,
                                   description="Build bilingual Hebrew/English books from plain sources.")
    commands = main.add_subparsers(dest="command", metavar="COMMAND",
                                   help="what to build (default: all of pdf, booklet, epub and sheet)")
    commands.add_parser("all", parents=[common], help="every output (the default)")
    for name, entry in WRITERS.items():
        sub = commands.add_parser(name, parents=[common], help=entry.description)
        for option in entry.options:
            sub.add_argument(option.flag, **option.argparse_options)  # type: ignore[arg-type]
    commands.add_parser("model", parents=[common], help="print the document model as JSON")
    serve = commands.add_parser("serve", help="a live preview of the printed pages in the browser, rebuilt on "
                                "every save; writes nothing to the output folder (README: The preview)")
    serve.add_argument("--source", type=Path, default=argparse.SUPPRESS, metavar="DIR",
                       help="folder with book.toml and the chapter files (default: source)")
    serve.add_argument("--port", type=int, default=8000, metavar="N", help="port on 127.0.0.1 (default: 8000)")
    serve.add_argument("--bind", default="127.0.0.1", metavar="ADDR", help="a loopback address (default: "
                       "127.0.0.1; ::1 also works); any other is refused")
    library = commands.add_parser("library", parents=[common], help="build every book folder under DIR (each "
                                  "with its book.toml) into OUT/NAME/, the books sharing one executor")
    library.add_argument("folder", type=Path, metavar="DIR", help="the folder of book folders")
    library.add_argument("--outputs", default="all", metavar="LIST", help="comma-separated outputs of each book, "
                         f"of {', '.join(WRITERS)} (default: all, as `build.py` builds)")
    cache = commands.add_parser("cache", parents=[common], help="prune the build cache to its limit, or clear it")
    cache.add_argument("--prune", action="store_true", help="drop the least recently used pieces past the limit")
    cache.add_argument("--clear", action="store_true", help="drop every piece")
    return main


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    reporter = Reporter(strict=args.strict)
    try:
        return run(args, reporter)
    except BuildError as failure:
        for diagnostic in failure.diagnostics:
            print(diagnostic, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as failure:  # a bug: one line, not a traceback, unless asked for
        if args.debug:
            raise
        print(internal_error(failure), file=sys.stderr)
        return 3


def run(args: argparse.Namespace, reporter: Reporter) -> int:
    from press.engine import model_cache
    from press.engine.pool import sharing
    from press.readers import READERS, read_book

    if args.command == "serve":
        from press.preview.server import serve

        return serve(args.source, args.port, args.bind)
    if args.command == "cache":
        return _cache_command(args)
    if args.command == "library":
        return _library(args)
    with model_cache.installed(READERS):  # a chapter whose file is unchanged is not parsed again
        book = read_book(args.source, reporter)
    if args.command == "model":
        from press.serialize import book_json

        print(book_json(book))
        return 0
    names = _outputs("all") if args.command in (None, "all") else [args.command]
    with sharing(_executor(args, library=False)):
        written = _build(book, args.source, args.out, names, args, reporter)
    for path in written:
        print(f"wrote {path}")
    if pruned := cache_command(args.source):  # the build cache kept under its limit
        print(pruned)
    return 0


def _build(book: Book, source: Path, out: Path, names: list[str], args: argparse.Namespace,
           reporter: Reporter) -> list[Path]:
    """The outputs `names` of `book` into `out`, all or none; the paths written."""
    from press.editions import writer
    from press.engine.guard import guarded
    from press.engine.staging import Staging

    with guarded(out):  # one build at a time into the folder; a killed one leaves no temporary files
        # The writers are imported inside the guard: importing WeasyPrint runs gcc (ctypes' find_library
        # for each library name it tries), whose temporary files only the build's scratch folder collects.
        writers = {}
        for name in names:
            given = {o.dest: getattr(args, o.dest, None) for o in WRITERS[name].options}
            writers[name] = writer(name, **{dest: value for dest, value in given.items() if value is not None})
        for each in writers.values():  # what a writer refuses to write over is judged in the real folder
            if (check := getattr(each, "check_target", None)) is not None:
                check(out)
        staging = Staging(out)
        with staging as folder:  # every output is written and checked before any replaces the last build's
            written: list[Path] = []
            for name, each in writers.items():
                with processing(f"{source} (building {name})"):
                    written += each.write(book, folder, reporter)
            return staging.commit(written)


def _executor(args: argparse.Namespace, library: bool) -> Shared | None:
    """--executor, else $PRESS_EXECUTOR, else local: None (each book its own pool) or a shared executor.

    Not a book.toml setting: where a book is laid out is the machine's business, not the book's."""
    spec = (args.executor or os.environ.get("PRESS_EXECUTOR") or "local").strip()
    if spec == "local":
        from press.engine.shared_pool import LocalShared

        return LocalShared() if library else None  # one book: a pool forked for it (workers get it free)
    host_port = spec.removeprefix("dask://")
    if spec.startswith("dask://") and host_port.count(":") == 1 and host_port.split(":")[1].isdigit():
        from press.engine.dask_pool import DaskShared

        return DaskShared(f"tcp://{host_port}")
    raise error("executor", f"unknown executor {spec!r}: give local or dask://HOST:PORT")


def _library(args: argparse.Namespace) -> int:
    """`build.py library DIR`: each book folder's outputs into OUT/NAME/; a failed book stops no other.
    Exit status: 0 every book built, 1 one failed (its error printed), 3 an internal error in one."""
    from press.engine.litter import build_scratch
    from press.engine.pool import sharing

    folders = sorted(p for p in args.folder.iterdir() if (p / "book.toml").is_file()) if args.folder.is_dir() else []
    if not folders:
        raise error("library", "no book folder here (a folder with its own book.toml)", args.folder)
    names = _outputs(args.outputs)
    started, failed, bug = time.monotonic(), [], False
    with build_scratch(), sharing(_executor(args, library=True)):  # one scratch for all: see build_scratch
        for number, folder in enumerate(folders, 1):
            began = time.monotonic()
            outcome = _library_book(folder, args.out / folder.name, names, args)
            failed += [folder.name] if outcome else []
            bug = bug or outcome == 3
            said = "failed" if outcome else f"built into {args.out / folder.name} in {time.monotonic() - began:.1f} s"
            print(f"library {number}/{len(folders)}: {folder.name}: {said}", flush=True)
    print(f"library: {len(folders) - len(failed)} of {len(folders)} books built in {time.monotonic() - started:.1f} s"
          + (f"; failed: {', '.join(failed)}" if failed else ""), flush=True)
    return 3 if bug else 1 if failed else 0


def _library_book(folder: Path, out: Path, names: list[str], args: argparse.Namespace) -> int:
    """One book of the library: 0 built, 1 an error in its sources, 3 an internal error (each printed)."""
    from press.readers import read_book

    reporter = Reporter(strict=args.strict)
    try:
        _build(read_book(folder, reporter), folder, out, names, args, reporter)
    except BuildError as failure:
        for diagnostic in failure.diagnostics:
            print(diagnostic, file=sys.stderr, flush=True)
        return 1
    except Exception as failure:  # a bug in one book stops no other; one line, unless --debug
        if args.debug:
            raise
        print(internal_error(failure), file=sys.stderr, flush=True)
        return 3
    if pruned := cache_command(folder):
        print(pruned)
    return 0


def _outputs(given: str) -> list[str]:
    """The outputs named by `given` ("all": what `build.py` builds), or an error for an unknown one."""
    if given.strip() == "all":
        return [n for n, e in WRITERS.items() if e.in_all]
    names = [name.strip() for name in given.split(",") if name.strip()]
    if unknown := [name for name in names if name not in WRITERS]:
        raise error("library", f"unknown output {unknown[0]!r} in --outputs: give all, or some of {', '.join(WRITERS)}")
    return names


def _cache_command(args: argparse.Namespace) -> int:
    """`build.py cache --prune` or `--clear`."""
    if args.prune == args.clear:
        print("build.py cache: give one of --prune or --clear", file=sys.stderr)
        return 2
    print(cache_command(args.source, prune=args.prune, clear=args.clear))
    return 0
