"""What a print shop's preflight checks: PDF/X-4's output intent, K-only colour, crop marks.

- `pdf = "pdf/x-4"` embeds a CMYK output profile as the file's `/OutputIntents`
  (`/S /GTS_PDFX`). The default is FOGRA39L (offset on coated paper, ISO
  12647-2:2004/Amd 1), made once with ArgyllCMS's `colprof` from the FOGRA39L
  characterisation data of Debian's icc-profiles-free (Zlib licence) into
  `.cache/icc/`; `[print] output_profile` names another (a 4-channel output
  profile, with `[print] output_condition` its registered name).
- In pdf/x-4 the stylesheet sets text and rules in `device-cmyk(0 0 0 k)` (book.css):
  no RGB in any content stream, no rich black on hairlines and 8.5 pt notes.
- With `marks = true` the MediaBox grows beyond the BleedBox and the crop marks are
  drawn there, in K, starting `MARK_GAP` outside the bleed: WeasyPrint draws them
  inside the bleed, up to the trim's corner.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from press.diagnostics import error
from press.paths import profile_cache

CHARACTERISATION = Path("/usr/share/color/icc/FOGRA39L.ti3")  # Debian: icc-profiles-free
MARK_GAP = 3.0  # pt between the bleed's edge and a crop mark
MARK_LENGTH = 18.0  # pt (a quarter inch)
MARK_WIDTH = 0.25  # pt
_PROFILE_DATE = bytes.fromhex("07d6000c000100000000") + b"\0\0"  # 2006-12-01, FOGRA39L's date


@dataclass(frozen=True, slots=True)
class OutputCondition:
    """The printing condition a PDF/X file is made for (its OutputIntent)."""

    identifier: str  # OutputConditionIdentifier, a name in the ICC's registry
    description: str  # OutputCondition and Info
    profile: Path


FOGRA39 = ("FOGRA39", "Offset printing, ISO 12647-2:2004/Amd 1, coated paper (paper type 1 or 2), "
           "characterisation data FOGRA39L")


def output_condition(settings: Any) -> OutputCondition | None:
    """The book's printing condition in pdf/x-4, its profile in profile_cache(); else None."""
    printing = settings.print
    if printing.pdf != "pdf/x-4":
        return None
    if printing.output_profile:
        source = (Path(settings.path).parent / printing.output_profile) if settings.path else Path(
            printing.output_profile)
        profile = _cached_copy(source)
        return OutputCondition(printing.output_condition or "Custom", _description(profile), profile)
    return OutputCondition(FOGRA39[0], FOGRA39[1], ensure_fogra39())


def ensure_fogra39() -> Path:
    """The FOGRA39L profile, made once (about 6 s of CPU) and identical on every machine."""
    target = profile_cache() / "FOGRA39L.icc"
    if target.is_file():
        return target
    colprof = shutil.which("colprof")
    if colprof is None or not CHARACTERISATION.is_file():
        raise error("output-profile", "pdf/x-4 needs a CMYK output profile: install the Debian packages "
                    "argyll and icc-profiles-free (`make` does, as root), or name one in [print] output_profile")
    with tempfile.TemporaryDirectory(prefix="press-icc-") as scratch:
        shutil.copy(CHARACTERISATION, Path(scratch) / "FOGRA39L.ti3")
        subprocess.run([colprof, "-ql", "-kr", "-D", "FOGRA39L (ISO 12647-2:2004/Amd 1, coated)",
                        "-C", "Made from FOGRA39L.ti3 (Zlib licence, Debian icc-profiles-free)",
                        "-O", "FOGRA39L.icc", "FOGRA39L"], cwd=scratch, check=True, capture_output=True)
        data = bytearray((Path(scratch) / "FOGRA39L.icc").read_bytes())
        data[24:36] = _PROFILE_DATE  # the header's creation time: the only byte that differs between runs
        return _store(bytes(data), target)


def _cached_copy(source: Path) -> Path:
    data = source.read_bytes()
    return _store(data, profile_cache() / f"{hashlib.sha256(data).hexdigest()[:16]}.icc")


def _store(data: bytes, target: Path) -> Path:
    if not target.is_file():
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_suffix(".part")
        temporary.write_bytes(data)
        temporary.replace(target)
    return target


def _description(profile: Path) -> str:
    return f"CMYK output profile {profile.name}"


# The finished book.pdf --------------------------------------------------------

def finish_for_press(path: Path, settings: Any) -> None:
    """Rewrite `path` for the press when the book asks for it: crop marks, the output intent's names."""
    condition = output_condition(settings)
    if not settings.print.marks and condition is None:
        return
    import pikepdf

    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        if settings.print.marks:
            for page in pdf.pages:
                _mark(pdf, page)
        if condition is not None:
            name_output_intent(pdf, condition)
        pdf.save(path, deterministic_id=True, compress_streams=True,
                 object_stream_mode=pikepdf.ObjectStreamMode.generate)


def name_output_intent(pdf: Any, condition: OutputCondition) -> None:
    """The registered name of the printing condition (WeasyPrint writes the profile's description),
    and the profile itself: WeasyPrint 70 embeds LittleCMS's re-serialisation of it, 2.6 times the
    size, with `/N 1` whatever its channels."""
    import pikepdf

    profile = condition.profile.read_bytes()
    for intent in pdf.Root.get("/OutputIntents", []):
        intent.DestOutputProfile.write(profile)
        intent.DestOutputProfile.N = 4
        intent.OutputConditionIdentifier = pikepdf.String(condition.identifier)
        intent.OutputCondition = pikepdf.String(condition.description)
        intent.Info = pikepdf.String(condition.description)
        intent.RegistryName = pikepdf.String("http://www.color.org")


def _mark(pdf: Any, page: Any) -> None:
    import pikepdf

    bleed = [float(v) for v in page.obj.get("/BleedBox", page.mediabox)]
    trim = [float(v) for v in page.obj.get("/TrimBox", page.mediabox)]
    room = MARK_GAP + MARK_LENGTH + MARK_GAP
    media = [bleed[0] - room, bleed[1] - room, bleed[2] + room, bleed[3] + room]
    page.obj.BleedBox = pikepdf.Array([_decimal(v) for v in bleed])
    page.obj.MediaBox = pikepdf.Array([_decimal(v) for v in media])
    if "/CropBox" in page.obj:
        del page.obj["/CropBox"]
    page.contents_add(pdf.make_stream(b"q\n"), prepend=True)
    page.contents_add(pdf.make_stream(b"Q\n" + crop_marks(trim, bleed).encode("ascii")))


def crop_marks(trim: list[float], bleed: list[float]) -> str:
    """Eight hairlines on the trim's edges, starting MARK_GAP outside the bleed box."""
    x0, y0, x1, y1 = trim
    left, bottom, right, top = bleed[0] - MARK_GAP, bleed[1] - MARK_GAP, bleed[2] + MARK_GAP, bleed[3] + MARK_GAP
    lines = [(left, y0, left - MARK_LENGTH, y0), (left, y1, left - MARK_LENGTH, y1),
             (right, y0, right + MARK_LENGTH, y0), (right, y1, right + MARK_LENGTH, y1),
             (x0, bottom, x0, bottom - MARK_LENGTH), (x1, bottom, x1, bottom - MARK_LENGTH),
             (x0, top, x0, top + MARK_LENGTH), (x1, top, x1, top + MARK_LENGTH)]
    paths = " ".join(f"{_num(a)} {_num(b)} m {_num(c)} {_num(d)} l" for a, b, c, d in lines)
    return f"q {_num(MARK_WIDTH)} w 0 G [] 0 d {paths} S Q\n"


def copy_conformance(source: Any, out: Any) -> None:
    """Give an imposition of `source` its PDF/A or PDF/X identity: the output intents and the
    XMP metadata that declare it, and a TrimBox on every sheet (PDF/X needs one)."""
    import pikepdf

    for key in ("/OutputIntents", "/Metadata"):
        if key in source.Root:
            out.Root[key] = out.copy_foreign(source.make_indirect(source.Root[key]))
    if "/OutputIntents" in source.Root:
        for page in out.pages:
            page.obj.TrimBox = pikepdf.Array(list(page.mediabox))


def _decimal(value: float) -> Any:
    from decimal import Decimal

    return Decimal(_num(value))


def _num(value: float) -> str:
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text
