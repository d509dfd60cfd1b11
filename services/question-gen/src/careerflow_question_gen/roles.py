"""Role families: recognising what kind of job a target role names, and what that implies.

``detect_role_family("Senior Site Reliability Engineer")`` is ``"devops"``. Each software
family names the skills asked about when neither the job nor the resume gives enough (its
defaults) and the question category used for a skill the bank does not know. ``generic`` is
every other job, a nurse's or an accountant's: it is not a software family, and its questions
come from the job's own requirements (``workplace_bank``). ``seniority_difficulty`` reads the
level of the role (and the years on the resume) into a question difficulty.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from careerflow_contracts import Difficulty
from careerflow_question_gen.workplace_bank import workplace_bank

RoleFamily = Literal[
    "backend",
    "frontend",
    "fullstack",
    "data",
    "ml",
    "devops",
    "mobile",
    "qa",
    "security",
    "product",
    "project",
    "software",
    "generic",
]


@dataclass(frozen=True)
class RoleFamilySpec:
    """What the question generator knows about one family of roles."""

    family: RoleFamily
    patterns: tuple[str, ...]
    """Regular expressions matched against the lower-cased role, with word boundaries."""
    default_skills: tuple[str, ...]
    """Skills asked about once the job's and the resume's are used up, most typical first."""
    category: str
    """The question category for a skill the bank has no category for."""
    software: bool = True
    """Whether the family's banks are about software work; only ``generic``'s are not."""


# Order matters: the first family with a matching pattern wins, so the more specific families
# come first: managers before the field they manage ("ML product manager" is product), ML
# before infrastructure ("machine learning platform engineer"), security before QA
# ("penetration tester"), QA before mobile ("mobile QA engineer"), full-stack before front-end
# and back-end.
ROLE_FAMILIES: tuple[RoleFamilySpec, ...] = (
    RoleFamilySpec(
        "product",
        (
            r"product[\s-]?(manager|owner|lead|director|management)",
            r"head[\s-]?of[\s-]?product",
            r"cpo",
            r"vp[\s-]?(of[\s-]?)?product",
            r"pm",
        ),
        ("Product metrics", "Prioritization", "Roadmapping", "User research", "Experimentation"),
        "product",
    ),
    RoleFamilySpec(
        "project",
        (
            r"project[\s-]?(manager|lead|coordinator|management)",
            r"program(me)?[\s-]?manager",
            r"delivery[\s-]?(manager|lead)",
            r"scrum[\s-]?master",
            r"agile[\s-]?coach",
            r"pmo",
            r"tpm",
        ),
        ("Risk management", "Stakeholder management", "Agile", "Jira", "Prioritization"),
        "project",
    ),
    RoleFamilySpec(
        "fullstack",
        (r"full[\s-]?stack", r"fullstack"),
        ("REST", "React", "SQL", "System design", "Caching", "TypeScript"),
        "general",
    ),
    RoleFamilySpec(
        "ml",
        (
            r"machine[\s-]?learning",
            r"ml",
            r"mlops",
            r"ai",
            r"deep[\s-]?learning",
            r"nlp",
            r"computer[\s-]?vision",
            r"llm",
            r"applied[\s-]?scientist",
            r"research[\s-]?scientist",
        ),
        ("Machine learning", "PyTorch", "scikit-learn", "MLOps", "LLMs", "Statistics"),
        "ml",
    ),
    RoleFamilySpec(
        "security",
        (
            # Not "security" alone: a security officer guards a building.
            r"(information|it|network|cloud|application|product|data)[\s-]?security",
            r"security[\s-]?(engineer|analyst|architect|researcher|consultant|specialist|"
            r"operations|tester)",
            r"secops",
            r"devsecops",
            r"appsec",
            r"cyber[\s-]?security",
            r"penetration",
            r"pentester",
            r"soc[\s-]?analyst",
            r"infosec",
        ),
        ("OWASP", "Threat modeling", "OAuth", "Incident response", "Linux", "AWS"),
        "security",
    ),
    RoleFamilySpec(
        "qa",
        (
            r"qa",
            r"quality[\s-]?assurance",
            r"quality[\s-]?engineer",
            r"test(er|ing)?",
            r"sdet",
            r"automation[\s-]?engineer",
        ),
        ("Test automation", "Playwright", "pytest", "Selenium", "CI/CD", "SQL"),
        "testing",
    ),
    RoleFamilySpec(
        "devops",
        (
            r"devops",
            r"sre",
            r"site[\s-]?reliability",
            r"platform[\s-]?engineer",
            r"infrastructure",
            r"cloud[\s-]?engineer",
            r"cloud[\s-]?architect",
            r"release[\s-]?engineer",
            r"systems?[\s-]?administrator",
            r"sysadmin",
        ),
        ("Kubernetes", "Terraform", "CI/CD", "Observability", "Linux", "Docker", "AWS"),
        "devops",
    ),
    RoleFamilySpec(
        "data",
        (
            r"data[\s-]?(engineer|scientist|analyst|architect)",
            r"analytics",
            r"business[\s-]?intelligence",
            r"bi",
            r"etl",
            r"big[\s-]?data",
            r"statistician",
        ),
        ("SQL", "Data modeling", "Spark", "Airflow", "Statistics", "Experimentation"),
        "data",
    ),
    RoleFamilySpec(
        "mobile",
        (
            r"mobile",
            r"ios",
            r"android",
            r"react[\s-]?native",
            r"flutter",
            r"swift",
            r"kotlin",
        ),
        ("iOS", "Android", "Kotlin", "Swift", "REST", "React Native"),
        "mobile",
    ),
    RoleFamilySpec(
        "frontend",
        (
            r"front[\s-]?end",
            r"frontend",
            r"ui[\s-]?(engineer|developer)",
            r"web[\s-]?developer",
            r"react([\s-]?js)?",
            r"angular",
            r"vue(\.?js)?",
            r"javascript",
            r"typescript",
        ),
        ("JavaScript", "React", "TypeScript", "Accessibility", "Web performance", "CSS"),
        "frontend",
    ),
    RoleFamilySpec(
        "backend",
        (
            r"back[\s-]?end",
            r"backend",
            r"server[\s-]?side",
            r"api[\s-]?(engineer|developer)",
            r"python",
            r"java",
            r"golang",
            r"go[\s-]+(developer|engineer|programmer)",
            r"ruby",
            r"rails",
            r"php",
            r"\.net",
            r"c#",
            r"node(\.?js)?",
            r"django",
            r"spring",
            r"rust",
            r"scala",
            r"elixir",
        ),
        ("System design", "SQL", "REST", "Caching", "Distributed systems", "Docker"),
        "backend_framework",
    ),
    RoleFamilySpec(
        "software",
        (
            r"software",
            r"programmer",
            r"swe",
            r"coder",
            r"developer",
            r"firmware",
        ),
        ("System design", "Git", "SQL", "API design", "CI/CD"),
        "general",
    ),
    RoleFamilySpec(
        "generic",
        (),
        workplace_bank().default_subjects,
        "workplace",
        software=False,
    ),
)
"""Every family, most specific first; ``generic`` matches nothing and is the last resort."""

FAMILY_SPECS: dict[RoleFamily, RoleFamilySpec] = {spec.family: spec for spec in ROLE_FAMILIES}


def _compile(pattern: str) -> re.Pattern[str]:
    # Word boundaries by hand: \b fails next to "#" and ".", as in "c#" or ".net".
    return re.compile(rf"(?<![a-z0-9]){pattern}(?![a-z0-9])")


_COMPILED: tuple[tuple[RoleFamily, tuple[re.Pattern[str], ...]], ...] = tuple(
    (spec.family, tuple(_compile(pattern) for pattern in spec.patterns)) for spec in ROLE_FAMILIES
)


def detect_role_family(target_role: str) -> RoleFamily:
    """The family of ``target_role``; ``generic`` when nothing in it is recognised."""
    role = " ".join(target_role.lower().split())
    for family, patterns in _COMPILED:
        if any(pattern.search(role) for pattern in patterns):
            return family
    return "generic"


_JUNIOR = _compile(r"(junior|jr\.?|intern|internship|graduate|entry[\s-]?level|trainee|apprentice)")
_SENIOR = _compile(r"(senior|sr\.?|staff|principal|lead|head|architect|director|vp|chief)")


def seniority_difficulty(target_role: str, years_experience: float | None) -> Difficulty:
    """How hard the questions should be, from the role's level or else the resume's years."""
    role = target_role.lower()
    if _JUNIOR.search(role):
        return "easy"
    if _SENIOR.search(role):
        return "hard"
    if years_experience is None:
        return "medium"
    if years_experience < 2:
        return "easy"
    if years_experience >= 7:
        return "hard"
    return "medium"
