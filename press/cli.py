"""The command line: parse arguments, call the library, return an exit code.

Exit status: 0 built, 1 the sources have an error (printed as
`path:line: error [code] message`), 2 the command line is wrong.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from press.diagnostics import BuildError, Reporter
from press.writers import WRITERS

EPILOG = """examples:
  python build.py                          build book.pdf, book.epub and sheet.pdf
  python build.py pdf --source DIR         build one output from another source folder
  python build.py sheet --passage 45:3-8   a study sheet of blocks 3 to 8 of chapter 45
  python build.py model                    print the document model as JSON

exit status: 0 built; 1 an error in the sources (reported as path:line: error [code] message); 2 bad command line"""


def parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--source", type=Path, default=Path("source"), metavar="DIR",
                        help="folder with book.toml and the chapter files (default: source)")
    common.add_argument("--out", type=Path, default=Path("output"), metavar="DIR",
                        help="folder the outputs are written to (default: output)")
    main = argparse.ArgumentParser(prog="build.py", parents=[common], epilog=EPILOG,
                                   formatter_class=argparse.RawDescriptionHelpFormatter,
                                   description="Build bilingual Hebrew/English books from plain sources.")
    commands = main.add_subparsers(dest="command", metavar="COMMAND",
                                   help="what to build (default: all of pdf, epub and sheet)")
    commands.add_parser("all", parents=[common], help="every output (the default)")
    for name, (_, _, description) in WRITERS.items():
        sub = commands.add_parser(name, parents=[common], help=description)
        if name == "sheet":
            sub.add_argument("--passage", metavar="REF",
                             help="chapter:first-last blocks, e.g. 45:3-8 (default: [sheet] passage in "
                                  "book.toml, else the first six blocks of the first chapter)")
    commands.add_parser("model", parents=[common], help="print the document model as JSON")
    return main


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    reporter = Reporter()
    try:
        return run(args, reporter)
    except BuildError as failure:
        for diagnostic in failure.diagnostics:
            print(diagnostic, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


def run(args: argparse.Namespace, reporter: Reporter) -> int:
    from press.readers import read_book

    book = read_book(args.source, reporter)
    if args.command == "model":
        from press.serialize import book_json

        print(book_json(book))
        return 0
    from press.writers import writer

    names = list(WRITERS) if args.command in (None, "all") else [args.command]
    for name in names:
        options = {"passage": args.passage} if name == "sheet" and getattr(args, "passage", None) else {}
        for path in writer(name, **options).write(book, args.out, reporter):
            print(f"wrote {path}")
    return 0
