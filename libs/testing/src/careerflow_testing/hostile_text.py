"""Hostile text for the tests of everything that runs regular expressions over user text.

``HOSTILE_TEXTS`` names inputs known to make careless patterns slow: nested runs of separators
(exponential backtracking in a pattern like ``(?:x|.x?)*``), long runs of one character
(quadratic scans in ``\\s+x`` tried at every position), a 100 000-character word, repeated
conjunctions, and letters outside ASCII. ``time_bound`` fails a call that runs past a generous
limit, so a slow pattern fails its test instead of stalling the run: CPython's regular
expression engine checks for signals while it matches, so the alarm interrupts it.
"""

from __future__ import annotations

import signal
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

CALL_BOUND_S = 3.0
"""Generous: every call these tests make takes milliseconds when the patterns are linear."""


def _separated_run(separator: str, length: int = 60) -> str:
    """ "A.a.a.a…a.1": a capital, then letter and separator pairs, then a digit that fails."""
    pairs = (length - 2) // 2
    return "A" + f"{separator}a" * pairs + f"{separator}1"


HOSTILE_TEXTS: dict[str, str] = {
    "dotted run": _separated_run("."),
    "hyphenated run": _separated_run("-"),
    "apostrophe run": _separated_run("'"),
    "curly apostrophe run": _separated_run("’"),
    "dotted runs on every line": "\n".join([_separated_run(".")] * 200),
    "hyphenated runs on every line": "\n".join([_separated_run("-")] * 200),
    "long dotted run": _separated_run(".", 20_000),
    "20 000 spaces": " " * 20_000,
    "20 000 spaces then a word": " " * 20_000 + "x",
    "spaces around and": " " * 10_000 + "and" + " " * 10_000,
    "20 000 tabs": "\t" * 20_000,
    "20 000 newlines": "\n" * 20_000,
    "mixed whitespace": " \n\t\u00a0" * 5_000,
    "whitespace runs between words": ("  " * 50 + "x") * 400,
    "100 000-character word": "a" * 100_000,
    "100 000-character capitalised word": "A" + "a" * 99_999,
    "repeated a.": "a." * 10_000,
    "repeated a-": "a-" * 10_000,
    "repeated , and": ", and" * 4_000,
    "repeated and": " and " * 4_000,
    "repeated Python and": "Python and " * 2_000,
    "repeated Go,": "Go, " * 5_000,
    "letter-spaced": "A " * 10_000,
    "letter-spaced groups": ("A " * 50 + "  ") * 200,
    "40 000 digits": "1" * 40_000,
    "40 000 colons": ":" * 40_000,
    "40 000 dots": "." * 40_000,
    "repeated slash": "1/" * 20_000,
    "repeated dash with spaces": " - " * 10_000,
    "repeated month": "Mar " * 10_000,
    "repeated half ranges": "Jan 2019 - " * 3_000,
    "month then spaces": "Mar" + " " * 20_000 + "x",
    "repeated degree dots": "B. " * 10_000,
    "degree then spaces": "B.S. in" + " " * 20_000 + "x",
    "repeated short degree": "BS " * 10_000,
    "local part without domain": "a" * 20_000 + "@",
    "dotted domain": "a@" + "a." * 10_000,
    "hyphenated domain": "a@a" + "-a" * 10_000,
    "dotted local part": "a." * 10_000 + "@b",
    "20 000 at signs": "@" * 20_000,
    "repeated interests rows": "Interests" + " " * 20_000 + "x",
    "headings": "EXPERIENCE\n" * 3_000,
    "bullets": "•·▪●◦" * 4_000,
    "accented letters": "é" * 20_000,
    "mixed scripts": "ß.ǅ-Ω’ж" * 3_000,
    "combining marks": "a\u0301" * 10_000,
    "right-to-left and emoji": "שלום 🙂 " * 3_000,
}


class CallTooSlow(AssertionError):
    """A call ran past its time bound: a pattern that is not linear, most likely."""


@contextmanager
def time_bound(seconds: float = CALL_BOUND_S) -> Iterator[None]:
    """Fail with ``CallTooSlow`` when the block runs longer than ``seconds`` (main thread only).

    The alarm is shared with pytest-timeout's: the outer one is put back, less the time spent.
    """

    def expire(_signum: int, _frame: FrameType | None) -> None:
        raise CallTooSlow(f"the call ran past its bound of {seconds} s")

    previous_handler = signal.signal(signal.SIGALRM, expire)
    outer_delay, outer_interval = signal.setitimer(signal.ITIMER_REAL, seconds)
    if outer_delay and outer_delay < seconds:
        signal.setitimer(signal.ITIMER_REAL, outer_delay)  # the outer limit comes first
    started = time.monotonic()
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous_handler)
        if outer_delay:
            left = max(outer_delay - (time.monotonic() - started), 0.001)
            signal.setitimer(signal.ITIMER_REAL, left, outer_interval)
