"""Compiler-style messages: `path:line: error [code] message`.

Every problem a user can cause is a Diagnostic with a stable code, so
tests, editors and people can rely on the form. A BuildError carries the
errors that stop a build; warnings are reported and the build goes on.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, TextIO

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Diagnostic:
    code: str
    severity: Severity
    message: str
    path: Path | None = None
    line: int | None = None
    pointer: str | None = None  # where in a JSON file, instead of a line: `text[0][5]`

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = f"{self.path}:{self.line}: " if self.line else f"{self.path}: "
            where += f"{self.pointer}: " if self.pointer else ""
        return f"{where}{self.severity} [{self.code}] {self.message}"


class BuildError(Exception):
    """Raised with one or more error diagnostics; the CLI prints them and exits 1."""

    def __init__(self, *diagnostics: Diagnostic) -> None:
        super().__init__("\n".join(str(d) for d in diagnostics))
        self.diagnostics = diagnostics

    def __reduce__(self) -> tuple[type[BuildError], tuple[Diagnostic, ...]]:
        # Raised in a worker of another process (a Dask worker), it arrives with its diagnostics.
        return BuildError, self.diagnostics


def error(code: str, message: str, path: Path | None = None, line: int | None = None,
          pointer: str | None = None) -> BuildError:
    return BuildError(Diagnostic(code, "error", message, path, line, pointer))


class Reporter:
    """Collects warnings and prints them as they come, in `path:line:` form."""

    def __init__(self, stream: TextIO | None = None, strict: bool = False) -> None:
        self.stream = stream
        self.strict = strict  # `build.py --strict`: a warning is an error, and the build stops
        self.warnings: list[Diagnostic] = []

    def warn(self, code: str, message: str, path: Path | None = None, line: int | None = None,
             pointer: str | None = None) -> None:
        if self.strict:
            raise BuildError(Diagnostic(code, "error", message, path, line, pointer))
        diagnostic = Diagnostic(code, "warning", message, path, line, pointer)
        self.warnings.append(diagnostic)
        print(diagnostic, file=self.stream or sys.stderr)


# Where the build is when an unexpected exception passes: readers and the CLI wrap their work in
# `processing(path, line)`, so the one-line `internal error` message can say which input it was.
_LOCATION = "press_location"


@contextlib.contextmanager
def processing(path: Path | str, line: int | None = None) -> Iterator[None]:
    """Mark an unexpected exception raised inside with `path:line` (the innermost mark wins)."""
    try:
        yield
    except (BuildError, KeyboardInterrupt):
        raise
    except Exception as exc:
        if getattr(exc, _LOCATION, None) is None:
            with contextlib.suppress(AttributeError, TypeError):  # a few exception types refuse attributes
                setattr(exc, _LOCATION, f"{path}:{line}" if line else str(path))
        raise


def internal_error(exc: BaseException) -> str:
    """The one line printed for a bug: the exception, where it happened, and a request to report it."""
    where = getattr(exc, _LOCATION, None)
    detail = " ".join(str(exc).split())[:300] or "no message"
    prefix = f"{where}: " if where else ""
    return f"{prefix}internal error: {type(exc).__name__}: {detail}, please report (--debug shows the traceback)"
