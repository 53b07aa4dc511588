"""Source files stay in the source folder.

A source folder passed around as a zip or a git repository may hold a
symbolic link (`notes.md -> ~/.ssh/id_rsa`) or a link to a folder outside
it; built as it is, the linked file would be printed in the book. Every
file a build reads from the source folder (chapters, book.toml, the sheet
files of sheets/) must therefore resolve, links followed, to a file inside
the folder: a link from one file of the folder to another is fine, a link
leading out is an [outside-source] error naming the link. The check runs
when the book is read, before anything is written.

A sheet file named by path on the command line (`build.py sheet
PATH.toml`) is the user's own choice and is not checked; the passages it
names come from the book, that is from the source folder.

Hard links cannot be told from ordinary files and are not caught; a file
swapped for a link while the build runs is not either (the check and the
read are not one system call).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from press.diagnostics import error

# The folder of sheet files, beside the chapters (press/writers/sheet.py's SHEETS_FOLDER).
SHEETS = "sheets"


def inside(path: Path, folder: Path) -> Path:
    """`path` itself, if the file it names (every link followed) lies inside `folder`."""
    target = path.resolve()
    root = folder.resolve()
    if target != root and root not in target.parents:
        raise error("outside-source", f"links to a file outside the source folder ({target}); only files inside "
                    f"{root} are read", path)
    return path


def check_sources(folder: Path, files: Iterable[Path]) -> None:
    """`files` and every sheet file of `folder` resolve inside `folder`."""
    sheets = folder / SHEETS
    for path in (*files, *(sorted(sheets.glob("*.toml")) if sheets.is_dir() else ())):
        inside(path, folder)
