"""Parse quality of the deterministic fallback on a resume corpus (`make parse-quality`).

Every PDF under the corpus goes through the service's extraction path (the process pool, with
its per-file time limit) and the fallback reader. For the files with a ``*.truth.json`` beside
them, the figures are compared with what a person read off the PDF:

- skills precision and recall, over all truth files together (skills named canonically);
- name and email accuracy (case and spacing ignored);
- roles and degrees found: truth entries whose title or degree the reader found.

For every file: whether it parsed without an error, and the slowest time. Exits 1 when a target
is missed. The corpus is optional and not part of the repository: ``corpus.py`` says where it is
looked for (``CAREERFLOW_RESUMES_DIR``); without one, the script says so and exits with 2.
"""

from __future__ import annotations

import asyncio
import json
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from corpus import MISSING_STATUS, CorpusMissing, corpus_pdfs

from careerflow_resume_parser.extraction_pool import Extractor
from careerflow_resume_parser.fallback import ResumeReading, read_resume
from careerflow_skills import canonical

TARGETS = {"skills precision": 0.85, "skills recall": 0.85, "email": 1.0, "name": 0.9}


def _key(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", text.casefold())


def _skill_key(name: str) -> str:
    # Not _key(): "C" and "C++" differ only in punctuation.
    return (canonical(name) or " ".join(name.split())).casefold()


def _found(truth: list[str], ours: tuple[str, ...]) -> int:
    remaining = Counter(_key(item) for item in ours)
    found = 0
    for item in truth:
        if remaining[_key(item)] > 0:
            remaining[_key(item)] -= 1
            found += 1
    return found


@dataclass
class Tally:
    files: int = 0
    parsed: int = 0
    slowest_s: float = 0.0
    slowest_file: str = ""
    truth_files: int = 0
    true_skills: int = 0
    predicted_skills: int = 0
    matched_skills: int = 0
    names: int = 0
    emails: int = 0
    roles: int = 0
    roles_found: int = 0
    degrees: int = 0
    degrees_found: int = 0
    rows: list[str] = field(default_factory=list)

    def score(self, reading: ResumeReading, truth: dict[str, object], name: str) -> None:
        profile = reading.profile
        contact = truth["contact"]
        assert isinstance(contact, dict)
        true_skills = {_skill_key(skill) for skill in truth["skills"]}  # type: ignore[attr-defined]
        ours = {_skill_key(skill) for skill in profile.skills}
        matched = len(true_skills & ours)
        name_ok = _key(profile.full_name or "") == _key(contact.get("full_name", ""))
        email_ok = (profile.email or "").casefold() == contact.get("email", "").casefold()
        true_roles = [entry["title"] for entry in truth["experience"]]  # type: ignore[attr-defined]
        true_degrees = [entry["degree"] for entry in truth["education"]]  # type: ignore[attr-defined]
        roles_found = _found(true_roles, reading.roles)
        degrees_found = _found(true_degrees, reading.degrees)
        self.truth_files += 1
        self.true_skills += len(true_skills)
        self.predicted_skills += len(ours)
        self.matched_skills += matched
        self.names += name_ok
        self.emails += email_ok
        self.roles += len(true_roles)
        self.roles_found += roles_found
        self.degrees += len(true_degrees)
        self.degrees_found += degrees_found
        self.rows.append(
            f"| {name} | {matched}/{len(ours)} of {len(true_skills)} | {'yes' if name_ok else 'no'}"
            f" | {'yes' if email_ok else 'no'} | {roles_found}/{len(true_roles)}"
            f" | {degrees_found}/{len(true_degrees)} |"
        )

    def figures(self) -> dict[str, float]:
        return {
            "skills precision": self.matched_skills / max(self.predicted_skills, 1),
            "skills recall": self.matched_skills / max(self.true_skills, 1),
            "name": self.names / max(self.truth_files, 1),
            "email": self.emails / max(self.truth_files, 1),
            "roles found": self.roles_found / max(self.roles, 1),
            "degrees found": self.degrees_found / max(self.degrees, 1),
        }


async def measure(pdfs: list[Path]) -> Tally:
    tally = Tally()
    with Extractor(workers=1, time_limit_s=10.0) as extractor:
        await extractor.warm_up()
        for path in pdfs:
            tally.files += 1
            started = time.perf_counter()
            extracted = await extractor.extract(path.read_bytes(), "pdf")
            reading = read_resume(extracted.text)
            elapsed = time.perf_counter() - started
            if extracted.status == "ok":
                tally.parsed += 1
            else:
                print(f"not parsed: {path.name}: {extracted.status}", file=sys.stderr)
            if elapsed > tally.slowest_s:
                tally.slowest_s, tally.slowest_file = elapsed, path.name
            truth_path = path.with_name(path.name.removesuffix(".pdf") + ".truth.json")
            if truth_path.exists():
                truth = json.loads(truth_path.read_text("utf-8"))
                tally.score(reading, truth, path.name)
    return tally


def report(tally: Tally) -> bool:
    figures = tally.figures()
    print(f"Corpus: {tally.files} PDFs, {tally.truth_files} with a truth file\n")
    print("| file | skills matched/found of true | name | email | roles | degrees |")
    print("|---|---|---|---|---|---|")
    print("\n".join(tally.rows))
    print("\n| figure | value | target |")
    print("|---|---|---|")
    met = True
    for label, value in figures.items():
        target = TARGETS.get(label)
        ok = target is None or value >= target
        met &= ok
        shown = f">= {target:.2f}" if target is not None else "-"
        print(f"| {label} | {value:.2f} | {shown}{'' if ok else ' MISSED'} |")
    all_parsed = tally.parsed == tally.files
    met &= all_parsed
    print(f"| parsed without an error | {tally.parsed}/{tally.files} | all |")
    print(f"| slowest file | {tally.slowest_s * 1000:.0f} ms ({tally.slowest_file}) | < 10 s |")
    return met


def main() -> int:
    try:
        directory, pdfs = corpus_pdfs("parse-quality")
    except CorpusMissing as missing:
        print(missing, file=sys.stderr)
        return MISSING_STATUS
    print(f"Corpus: {directory}")
    return 0 if report(asyncio.run(measure(pdfs))) else 1


if __name__ == "__main__":
    sys.exit(main())
