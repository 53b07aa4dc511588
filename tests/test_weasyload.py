"""WeasyPrint is imported without a compiler run (press/engine/weasyload.py), and as usual when that fails."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from conftest import PROJECT

# Counts the processes started while the build's first import of WeasyPrint runs, then lays out a page.
FIRST_IMPORT = """
import subprocess
started = []
original = subprocess.Popen.__init__
def counted(self, *args, **kwargs):
    started.append(args[0] if args else kwargs.get("args"))
    original(self, *args, **kwargs)
subprocess.Popen.__init__ = counted
import press.engine.fetcher
subprocess.Popen.__init__ = original
import weasyprint
assert weasyprint.HTML(string="<p>x</p>").write_pdf().startswith(b"%PDF")
print(len(started), started)
"""

# The first attempt fails (as on a system whose libraries have other names): the import is made again.
FALLBACK = """
import ctypes.util, importlib
from press.engine import weasyload
found = ctypes.util.find_library
class Failing:
    calls = 0
    def import_module(self, name):
        Failing.calls += 1
        if Failing.calls == 1:
            importlib.import_module("weasyprint.urls")  # part of it imported, then the failure
            raise OSError("cannot load library 'libgobject-2.0-0'")
        assert ctypes.util.find_library is found, "the second import asks find_library as usual"
        return importlib.import_module(name)
weasyload.importlib = Failing()
weasyload.import_weasyprint()
import weasyprint
assert ctypes.util.find_library is found
assert weasyprint.HTML(string="<p>x</p>").write_pdf().startswith(b"%PDF")
print(Failing.calls)
"""


def _run(code: str) -> str:
    result = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=PROJECT, capture_output=True,
                            text=True, check=False)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_the_first_import_starts_no_process() -> None:
    assert _run(FIRST_IMPORT) == "0 []"


def test_a_failed_first_import_is_made_again_the_usual_way() -> None:
    assert _run(FALLBACK) == "2"
