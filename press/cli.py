"""The command line: parse arguments, call the library, return an exit code.

Exit status: 0 built, 1 the sources have an error (printed as
`path:line: error [code] message`), 2 the command line is wrong, 3 an
internal error (a bug: one line naming the input being processed; the
traceback only with --debug).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from press.diagnostics import BuildError, Reporter, internal_error, processing
from press.editions import WRITERS, cache_command

EPILOG = """examples:
  python build.py                          build book.pdf, booklet.pdf, book.epub and sheet.pdf
  python build.py pdf --source DIR         build one output from another source folder
  python build.py sheet --passage 45:3-8   a study sheet of blocks 3 to 8 of chapter 45
  python build.py sheet week-12            the study sheet source/sheets/week-12.toml
  python build.py model                    print the document model as JSON
  python build.py serve --port 8000        a live preview at http://127.0.0.1:8000/

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
    from press.readers import read_book

    if args.command == "serve":
        from press.preview.server import serve

        return serve(args.source, args.port, args.bind)
    if args.command == "cache":
        return _cache_command(args)
    book = read_book(args.source, reporter)
    if args.command == "model":
        from press.serialize import book_json

        print(book_json(book))
        return 0
    from press.editions import writer
    from press.engine.guard import guarded
    from press.engine.staging import Staging

    names = [n for n, e in WRITERS.items() if e.in_all] if args.command in (None, "all") else [args.command]
    writers = {}
    for name in names:
        given = {o.dest: getattr(args, o.dest, None) for o in WRITERS[name].options}
        writers[name] = writer(name, **{dest: value for dest, value in given.items() if value is not None})
    with guarded(args.out):  # one build at a time into the folder; a killed one leaves no temporary files
        for each in writers.values():  # what a writer refuses to write over is judged in the real folder
            if (check := getattr(each, "check_target", None)) is not None:
                check(args.out)
        staging = Staging(args.out)
        with staging as folder:  # every output is written and checked before any replaces the last build's
            written: list[Path] = []
            for name, each in writers.items():
                with processing(f"{args.source} (building {name})"):
                    written += each.write(book, folder, reporter)
            for path in staging.commit(written):
                print(f"wrote {path}")
    if pruned := cache_command(args.source):  # the build cache kept under its limit
        print(pruned)
    return 0


def _cache_command(args: argparse.Namespace) -> int:
    """`build.py cache --prune` or `--clear`."""
    if args.prune == args.clear:
        print("build.py cache: give one of --prune or --clear", file=sys.stderr)
        return 2
    print(cache_command(args.source, prune=args.prune, clear=args.clear))
    return 0
