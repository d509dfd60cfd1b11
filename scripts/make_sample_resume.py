"""Write the sample resume in ``samples/`` as PDF and DOCX, both from the one text below.

The person, the employers, the school and the contact details are invented for CareerFlow
(the phone number is in Ofcom's range kept for drama, the addresses use ``example.com``), so
the sample can ship with the repository and be shown to anyone. ``make demo`` uploads it, and
a test of the resume parser checks that the fallback reads it well.

Both files come out byte for byte the same on every run (fixed dates in the metadata and in
the DOCX's zip entries), so a test can tell when the committed files and this text differ.
Run ``python3 -m uv run python scripts/make_sample_resume.py`` after changing the text.
"""

from __future__ import annotations

import argparse
import io
import sys
import textwrap
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import docx
from docx.shared import Pt
from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
FIXED_TIME = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)
"""The date written into every file's metadata, so the output does not depend on the run."""


@dataclass(frozen=True)
class Entry:
    """One job or degree: a title line, a line of place and dates, then bullets."""

    title: str
    where: str
    bullets: tuple[str, ...] = ()


@dataclass(frozen=True)
class Section:
    heading: str
    entries: tuple[Entry, ...] = ()
    lines: tuple[str, ...] = ()


@dataclass(frozen=True)
class Resume:
    name: str
    headline: str
    contact: str
    sections: tuple[Section, ...] = field(default_factory=tuple)


SAMPLE = Resume(
    name="Tamsin Okafor",
    headline="Backend Engineer",
    contact="tamsin.okafor@example.com | +44 20 7946 0321 | Leeds, United Kingdom",
    sections=(
        Section(
            "Summary",
            lines=(
                "Backend engineer who has built and run Python services for logistics and "
                "insurance since 2017. I like small services with clear contracts between "
                "them, tests that catch real mistakes, and on-call weeks that stay quiet.",
            ),
        ),
        Section(
            "Experience",
            entries=(
                Entry(
                    "Senior Backend Engineer, Harbourline Logistics",
                    "Leeds | Apr 2021 – Present",
                    (
                        "Led the move of shipment tracking from a monolith to six FastAPI "
                        "services talking through RabbitMQ; the tracking API's p95 latency fell "
                        "from 900 ms to 180 ms.",
                        "Added a transactional outbox in PostgreSQL so that no status update is "
                        "lost when the broker restarts.",
                        "Runs the services on Kubernetes with Helm; wrote the Prometheus alerting "
                        "rules and the Grafana dashboards the on-call rota uses.",
                        "Mentors two junior colleagues and leads the team's code review guild.",
                    ),
                ),
                Entry(
                    "Backend Engineer, Tallow & Finch Insurance",
                    "Manchester | Sep 2018 – Mar 2021",
                    (
                        "Built the claims intake API in Django, which handles 40,000 claims a "
                        "month.",
                        "Moved the nightly batch jobs to Celery with Redis and raised test "
                        "coverage from 45% to 85% with pytest.",
                        "Packaged every service with Docker and set up the GitLab CI pipeline.",
                    ),
                ),
                Entry(
                    "Junior Software Developer, Northgate Analytics",
                    "Sheffield | Jul 2017 – Aug 2018",
                    (
                        "Wrote the Python and SQL jobs that fed the reporting warehouse.",
                        "Maintained the internal dashboards in React.",
                    ),
                ),
            ),
        ),
        Section(
            "Education",
            entries=(
                Entry(
                    "B.Sc. in Computer Science, University of Eastmere",
                    "2014 – 2017 | First-class honours",
                ),
            ),
        ),
        Section(
            "Skills",
            lines=(
                "Languages: Python, SQL, JavaScript, Go",
                "Frameworks and tools: FastAPI, Django, Celery, pytest, asyncio, React",
                "Data and messaging: PostgreSQL, Redis, RabbitMQ",
                "Infrastructure: Docker, Kubernetes, Helm, Prometheus, Grafana, GitLab CI, Linux",
            ),
        ),
    ),
)


# --- PDF ------------------------------------------------------------------------------------

PAGE_WIDTH, PAGE_HEIGHT = 595, 842  # A4 in points
MARGIN = 56
BODY_SIZE = 10
# Helvetica's glyphs average under half an em in running text: 98 characters at 10 pt fit the
# 483 pt text column (measured with the font's AFM widths: the widest line is 445 pt).
WRAP_CHARS = 98


class _PdfPage:
    """The content stream of one page, written from the top down."""

    def __init__(self) -> None:
        self.ops: list[bytes] = []
        self.y = PAGE_HEIGHT - MARGIN

    def text(self, text: str, *, size: float, bold: bool = False, x: float = MARGIN) -> None:
        self.y -= size * 1.35
        font = b"/F2" if bold else b"/F1"
        # WinAnsiEncoding is cp1252: the en dash and the bullet below are single bytes in it.
        escaped = text.encode("cp1252").replace(b"\\", b"\\\\")
        escaped = escaped.replace(b"(", b"\\(").replace(b")", b"\\)")
        self.ops.append(b"BT %s %g Tf %g %g Td (%s) Tj ET" % (font, size, x, self.y, escaped))

    def rule(self) -> None:
        self.y -= 4
        self.ops.append(
            b"0.6 G 0.5 w %d %g m %d %g l S 0 G" % (MARGIN, self.y, PAGE_WIDTH - MARGIN, self.y)
        )

    def gap(self, points: float) -> None:
        self.y -= points


def _pdf_content(resume: Resume) -> bytes:
    page = _PdfPage()
    page.text(resume.name, size=20, bold=True)
    page.gap(2)
    page.text(resume.headline, size=12)
    page.text(resume.contact, size=9.5)
    for section in resume.sections:
        page.gap(8)
        page.text(section.heading.upper(), size=11, bold=True)
        page.rule()
        page.gap(2)
        for line in section.lines:
            for part in textwrap.wrap(line, WRAP_CHARS):
                page.text(part, size=BODY_SIZE)
        for entry in section.entries:
            page.gap(3)
            page.text(entry.title, size=BODY_SIZE + 0.5, bold=True)
            page.text(entry.where, size=BODY_SIZE - 0.5)
            for bullet in entry.bullets:
                first, *rest = textwrap.wrap(bullet, WRAP_CHARS - 3)
                page.text(f"\u2022 {first}", size=BODY_SIZE, x=MARGIN + 6)
                for part in rest:
                    page.text(part, size=BODY_SIZE, x=MARGIN + 14)
    if page.y < MARGIN:
        raise SystemExit("the sample resume no longer fits on one page: shorten it")
    return b"\n".join(page.ops)


def _font(base: str) -> DictionaryObject:
    return DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject(base),
            NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
        }
    )


def build_pdf(resume: Resume) -> bytes:
    """The resume as a one-page A4 PDF in Helvetica, with real text a parser can read."""
    writer = PdfWriter()
    page = writer.add_blank_page(PAGE_WIDTH, PAGE_HEIGHT)
    stream = DecodedStreamObject()
    stream.set_data(_pdf_content(resume))
    page[NameObject("/Contents")] = writer._add_object(stream)
    fonts = DictionaryObject(
        {NameObject("/F1"): _font("/Helvetica"), NameObject("/F2"): _font("/Helvetica-Bold")}
    )
    page[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): fonts})
    stamp = FIXED_TIME.strftime("D:%Y%m%d%H%M%SZ")
    writer.add_metadata(
        {
            "/Title": f"{resume.name} - resume (CareerFlow sample)",
            "/Author": f"{resume.name} (fictional)",
            "/Creator": "CareerFlow scripts/make_sample_resume.py",
            "/CreationDate": stamp,
            "/ModDate": stamp,
        }
    )
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


# --- DOCX -----------------------------------------------------------------------------------


def _zip_with_fixed_dates(document: bytes) -> bytes:
    """The same zip with every entry dated ``FIXED_TIME`` (python-docx stamps the clock)."""
    output = io.BytesIO()
    stamp = FIXED_TIME.timetuple()[:6]
    with (
        zipfile.ZipFile(io.BytesIO(document)) as source,
        zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            entry = zipfile.ZipInfo(item.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, source.read(item.filename))
    return output.getvalue()


def build_docx(resume: Resume) -> bytes:
    """The resume as a DOCX with Word's own styles: Title, headings and bulleted lists."""
    document = docx.Document()
    properties = document.core_properties
    properties.title = f"{resume.name} - resume (CareerFlow sample)"
    properties.author = f"{resume.name} (fictional)"
    properties.last_modified_by = "CareerFlow scripts/make_sample_resume.py"
    properties.created = properties.modified = FIXED_TIME.replace(tzinfo=None)
    properties.revision = 1
    document.styles["Normal"].font.size = Pt(BODY_SIZE)
    document.add_paragraph(resume.name, style="Title")
    document.add_paragraph(resume.headline)
    document.add_paragraph(resume.contact)
    for section in resume.sections:
        document.add_heading(section.heading, level=1)
        for line in section.lines:
            document.add_paragraph(line)
        for entry in section.entries:
            document.add_paragraph().add_run(entry.title).bold = True
            document.add_paragraph(entry.where)
            for bullet in entry.bullets:
                document.add_paragraph(bullet, style="List Bullet")
    output = io.BytesIO()
    document.save(output)
    return _zip_with_fixed_dates(output.getvalue())


# --- the command ----------------------------------------------------------------------------

OUTPUTS = {"resume.pdf": build_pdf, "resume.docx": build_docx}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=SAMPLES, help="the folder to write into")
    parser.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if a file would change"
    )
    args = parser.parse_args()
    stale = []
    for name, build in OUTPUTS.items():
        path = args.out / name
        content = build(SAMPLE)
        if args.check:
            if not path.is_file() or path.read_bytes() != content:
                stale.append(name)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        sys.stdout.write(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}\n")
    if stale:
        sys.stdout.write(f"out of date: {', '.join(stale)} (run scripts/make_sample_resume.py)\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
