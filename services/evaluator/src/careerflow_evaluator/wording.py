"""How the fallback reads words: tokens, stopwords, a light stemmer and interview synonyms.

The heuristic compares an answer with the points a strong answer covers. Both go through
``terms`` here, so "caching", "cached" and "cache" meet, and so do "k8s" and "Kubernetes" or
"customers" and "users". The stemmer is deliberately crude (suffix stripping): it only has to
map both sides of a comparison the same way, not produce dictionary words.
"""

from __future__ import annotations

import re

_TOKEN = re.compile(r"[a-z0-9][a-z0-9+#]*(?:[.\-/][a-z0-9+#]+)*")

STOPWORDS = frozenset(
    """
    a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each either else
    etc even ever every few for from further get got had has have having he her here hers him
    his how however i if in into is it its itself just let like made make many may me might
    more most much must my myself no nor not now of off on once one only or other our ours out
    over own per quite rather really said same she should since so some such than that the
    their theirs them then there these they thing things this those though through thus to too
    under until up upon us use used using very via was way we well were what when where which
    while who whom why will with within without would yet you your yours
    """.split()
)

# Groups of words an interviewer would accept for one another. The first word of each group is
# the canonical term; every member (after stemming) maps to it.
_SYNONYM_GROUPS: tuple[tuple[str, ...], ...] = (
    ("cache", "caching", "memoize", "memoization", "memcached"),
    ("database", "db", "datastore", "postgres", "postgresql", "mysql", "sql"),
    ("kubernetes", "k8s"),
    ("latency", "response time", "slowness", "slow"),
    ("measure", "metric", "monitor", "monitoring", "observability", "instrument", "dashboard"),
    ("test", "testing", "verify", "validation", "validate", "check"),
    ("user", "customer", "client", "end user", "stakeholder"),
    ("team", "colleague", "teammate", "coworker", "peer", "engineer"),
    ("conflict", "disagreement", "disagree", "dispute", "tension", "argument"),
    ("deadline", "timeline", "due date", "schedule", "urgent", "urgency"),
    ("improve", "optimize", "optimise", "speed up", "boost", "enhance"),
    ("reduce", "cut", "decrease", "lower", "shrink", "drop"),
    ("increase", "raise", "grow", "growth", "boost"),
    ("mistake", "error", "failure", "fail", "bug", "incident", "outage"),
    ("learn", "lesson", "takeaway", "learning"),
    ("priority", "prioritize", "prioritise", "prioritization", "rank", "triage"),
    ("rollback", "roll back", "revert"),
    ("deploy", "deployment", "release", "rollout", "ship"),
    ("index", "indexes", "indices", "indexing"),
    ("query", "queries", "sql query"),
    ("feedback", "input", "review"),
    ("communicate", "communication", "explain", "talk", "discuss", "conversation"),
    ("data", "dataset", "datum"),
    ("scale", "scaling", "scalability", "horizontal"),
    ("queue", "broker", "rabbitmq", "kafka", "message queue"),
    ("retry", "retries", "backoff"),
    ("security", "secure", "vulnerability"),
    ("performance", "perf", "speed", "throughput"),
    ("component", "widget"),
    ("state", "store", "redux"),
    ("render", "rerender", "re-render", "paint"),
    ("model", "classifier", "regressor"),
    ("feature", "attribute", "column"),
    # Not "generalization": its stem is "general", which would make "not a general habit"
    # a point about overfitting.
    ("overfit", "overfitting", "generalize"),
    ("leak", "leakage"),
    ("missing", "null", "nan", "empty"),
    ("manager", "lead", "boss", "supervisor", "head", "controller", "charge nurse"),
    ("agree", "align", "agreement"),
    ("defer", "deferred", "postpone", "postponed"),
    ("known", "knew", "know"),
    ("goal", "objective", "target", "aim"),
    ("trade-off", "tradeoff", "compromise"),
    ("result", "outcome", "impact"),
    ("own", "ownership", "responsible", "responsibility", "accountable"),
)

_SUFFIXES = (
    "izations",
    "ization",
    "isation",
    "ational",
    "fulness",
    "ousness",
    "iveness",
    "ations",
    "ation",
    "ments",
    "ment",
    "ness",
    "ings",
    "ing",
    "edly",
    "ies",
    "ied",
    "ers",
    "er",
    "ed",
    "es",
    "ly",
    "s",
)


def stem(word: str) -> str:
    """Strip one common English suffix, keeping a stem of at least three letters."""
    if len(word) <= 3 or not word.isalpha():
        return word
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            root = word[: -len(suffix)]
            if suffix in ("ies", "ied"):
                return root + "y"
            # "caching" -> "cach" -> "cache" would need a dictionary; dropping a final "e"
            # from every stem instead makes "cache", "cached" and "caching" all meet at "cach".
            return root.rstrip("e") if len(root) > 3 else root
        if word.endswith("ss"):
            break
    return word.rstrip("e") if len(word) > 4 else word


def _build_synonyms() -> dict[str, str]:
    table: dict[str, str] = {}
    for group in _SYNONYM_GROUPS:
        canonical = stem(group[0])
        for member in group:
            key = " ".join(stem(part) for part in member.split())
            table.setdefault(key, canonical)
    return table


_SYNONYMS = _build_synonyms()
_PHRASES = {key: value for key, value in _SYNONYMS.items() if " " in key}


def tokens(text: str) -> list[str]:
    """Lower-case word tokens, keeping names such as ``c++``, ``node.js`` and ``ci/cd`` whole."""
    return [token.rstrip(".-/") for token in _TOKEN.findall(text.lower())]


def terms(text: str) -> list[str]:
    """The content terms of a text: stemmed, canonical synonyms, without stopwords, in order."""
    stems = [stem(token) for token in tokens(text) if token not in STOPWORDS]
    result: list[str] = []
    index = 0
    while index < len(stems):
        pair = " ".join(stems[index : index + 2])
        if pair in _PHRASES:
            result.append(_PHRASES[pair])
            index += 2
            continue
        result.append(_SYNONYMS.get(stems[index], stems[index]))
        index += 1
    return result


def word_count(text: str) -> int:
    """Words as a reader counts them (whitespace-separated, ignoring stray punctuation)."""
    return sum(1 for part in text.split() if any(ch.isalnum() for ch in part))
