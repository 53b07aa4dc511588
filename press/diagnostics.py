"""Compiler-style messages: `path:line: error [code] message`.

Every problem a user can cause is a Diagnostic with a stable code, so
tests, editors and people can rely on the form. A BuildError carries the
errors that stop a build; warnings are reported and the build goes on.
"""

from __future__ import annotations

import sys
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


