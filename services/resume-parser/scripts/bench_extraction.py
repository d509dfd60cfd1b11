"""Throughput of the parser's extraction path against bare pypdf (`make bench-extraction`).

On the same PDFs (the optional corpus that ``corpus.py`` finds), in one run:

1. bare pypdf: ``PdfReader(...).pages[i].extract_text()`` for every page, in this process;
2. the service's extraction in this process (``extract_pdf``: invisible-text filter, limits);
3. the service's extraction path as it runs in production: the ``Extractor`` process pool
   (``--workers``, default the CPU count) with its per-file time limit, all files submitted at
   once as a busy worker would.

Prints resumes per second for each and the ratio of each to bare pypdf. A benchmark, not a
test: figures depend on the machine, and the README records them with the machine's details.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import os
import sys
import time
from collections.abc import Callable

from corpus import MISSING_STATUS, CorpusMissing, corpus_pdfs
from pypdf import PdfReader

from careerflow_resume_parser.extracted_text import ExtractionLimits
from careerflow_resume_parser.extraction_pool import Extractor
from careerflow_resume_parser.pdf_text import extract_pdf


def bare_pypdf(document: bytes) -> int:
    reader = PdfReader(io.BytesIO(document))
    return sum(len(page.extract_text()) for page in reader.pages)


def service_in_process(document: bytes) -> int:
    return len(extract_pdf(document, ExtractionLimits()).text)


def _timed(documents: list[bytes], rounds: int, read: Callable[[bytes], int]) -> float:
    started = time.perf_counter()
    for _ in range(rounds):
        for document in documents:
            read(document)
    return len(documents) * rounds / (time.perf_counter() - started)


async def _pool_rate(documents: list[bytes], rounds: int, workers: int) -> float:
    with Extractor(workers=workers, time_limit_s=30.0) as extractor:
        await asyncio.gather(*(extractor.extract(document, "pdf") for document in documents[:4]))
        started = time.perf_counter()
        for _ in range(rounds):
            results = await asyncio.gather(
                *(extractor.extract(document, "pdf") for document in documents)
            )
            failed = [result.status for result in results if result.status != "ok"]
            if failed:
                raise SystemExit(f"extraction failed during the benchmark: {failed}")
        return len(documents) * rounds / (time.perf_counter() - started)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="passes over the corpus")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    try:
        _directory, pdfs = corpus_pdfs("bench-extraction")
    except CorpusMissing as missing:
        print(missing, file=sys.stderr)
        return MISSING_STATUS
    documents = [path.read_bytes() for path in pdfs]

    bare = _timed(documents, args.rounds, bare_pypdf)
    in_process = _timed(documents, args.rounds, service_in_process)
    pooled = asyncio.run(_pool_rate(documents, args.rounds, args.workers))

    print(f"{len(documents)} PDFs x {args.rounds} rounds; {os.cpu_count()} CPUs\n")
    print("| path | resumes/s | vs bare pypdf |")
    print("|---|---|---|")
    print(f"| bare pypdf extract_text, 1 process | {bare:.1f} | 1.00 |")
    print(f"| service extract_pdf, 1 process | {in_process:.1f} | {in_process / bare:.2f} |")
    print(
        f"| service Extractor pool, {args.workers} workers | {pooled:.1f} | {pooled / bare:.2f} |"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
