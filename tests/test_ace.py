"""DAISY Ace checks the EPUB's accessibility, for each leading language: no violation.

Ace (`@daisy/ace`, pinned in scripts/ace/) is installed by `make test` into
.cache/ace and runs in Debian's chromium through puppeteer, never a
downloaded browser. It is required, as epubcheck is: a missing Ace or
chromium fails these tests and says how to install them.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import PROJECT, build

ACE = PROJECT / ".cache" / "ace" / "node_modules" / ".bin" / "ace-puppeteer"


def _ace_report(epub: Path, report: Path) -> dict:
    chromium = shutil.which("chromium")
    assert ACE.is_file(), f"{ACE} is missing: `make test` installs DAISY Ace (scripts/ace/)"
    assert chromium, "chromium is missing: `make test` installs it as root (scripts/system-deps.sh test)"
    env = os.environ | {"PUPPETEER_EXECUTABLE_PATH": chromium, "PUPPETEER_SKIP_DOWNLOAD": "1"}
    result = subprocess.run([str(ACE), "--silent", "--force", "--outdir", str(report), str(epub)],
                            capture_output=True, text=True, env=env, timeout=600, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads((report / "report.json").read_text(encoding="utf-8"))


def _violations(report: dict) -> list[str]:
    """Every failed assertion of every document: `file: rule (impact)`."""
    found = []
    for document in report.get("assertions", []):
        url = document.get("earl:testSubject", {}).get("url", "?")
        for assertion in document.get("assertions", []):
            if assertion.get("earl:result", {}).get("earl:outcome") != "pass":
                test = assertion.get("earl:test", {})
                found.append(f"{url}: {test.get('dct:title', '?')} ({test.get('earl:impact', '?')})")
    return found


@pytest.mark.parametrize("primary", ["en", "he"])
def test_ace_reports_no_violation(tmp_path: Path, primary: str) -> None:
    source = tmp_path / "source"
    shutil.copytree(PROJECT / "source", source)
    toml = source / "book.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('primary = "en"', f'primary = "{primary}"'),
                    encoding="utf-8")
    out = tmp_path / "out"
    result = build("epub", "--source", str(source), "--out", str(out))
    assert result.returncode == 0, result.stderr
    report = _ace_report(out / "book.epub", tmp_path / "ace")
    assert report["earl:result"]["earl:outcome"] == "pass", _violations(report)
    assert _violations(report) == []
    assert len(report["assertions"]) >= 5, "Ace checked the package, the navigation and every document"
    required = {"schema:accessMode", "schema:accessibilityFeature", "schema:accessibilityHazard",
                "schema:accessibilitySummary", "schema:accessModeSufficient"}
    assert required <= set(report["a11y-metadata"]["present"])
