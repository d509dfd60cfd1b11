"""The technical question bank (``technical_questions.json``): questions written for named
skills, and templates per question category for every other skill.

The bank is data, read once and validated here: every question category has at least four
templates, each naming its subject as ``{skill}`` (the skill's display name); a skill's own
questions are keyed by its name, and no two names are one skill.

    technical_bank()      the validated bank
    skill_key(name)       the bank's key of a skill name: "Node.js" -> "nodejs", "Golang" -> "go"
    SKILL_QUESTIONS       skill key -> the questions written for that skill
    CATEGORY_QUESTIONS    question category -> templates for any skill of it
    CATEGORIES            the question categories
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources
from typing import Self

from pydantic import BaseModel, ConfigDict, model_validator

from careerflow_question_gen.bank_types import PLACEHOLDER, QuestionTemplate

MIN_TEMPLATES_PER_CATEGORY = 4

SKILL_ALIASES: dict[str, str] = {
    "golang": "go",
    "postgres": "postgresql",
    "psql": "postgresql",
    "k8s": "kubernetes",
    "js": "javascript",
    "ecmascript": "javascript",
    "ts": "typescript",
    "reactjs": "react",
    "vuejs": "vue",
    "angularjs": "angular",
    "node": "nodejs",
    "amazonwebservices": "aws",
    "googlecloud": "gcp",
    "googlecloudplatform": "gcp",
    "microsoftazure": "azure",
    "sklearn": "scikitlearn",
    "springboot": "spring",
    "springframework": "spring",
    "restapi": "rest",
    "restapis": "rest",
    "restful": "rest",
    "restfulapis": "rest",
    "cicd": "cicd",
    "continuousintegration": "cicd",
    "githubactions": "cicd",
    "gitlabci": "cicd",
    "jenkins": "cicd",
    "apachespark": "spark",
    "pyspark": "spark",
    "apachekafka": "kafka",
    "apacheairflow": "airflow",
    "elastic": "elasticsearch",
    "opensearch": "elasticsearch",
    "mssql": "sqlserver",
    "microsoftsqlserver": "sqlserver",
    "dotnet": "net",
    "aspnet": "net",
    "aspnetcore": "net",
    "csharp": "c#",
    "cpp": "c++",
    "tf": "terraform",
    "jetpackcompose": "kotlin",
    "swiftui": "swift",
    "machinelearning": "machinelearning",
    "ml": "machinelearning",
    "deeplearning": "pytorch",
    "llm": "llms",
    "largelanguagemodels": "llms",
    "genai": "llms",
    "abtesting": "experimentation",
    "experimentdesign": "experimentation",
    "owasptop10": "owasp",
    "appsec": "owasp",
    "oauth2": "oauth",
    "openidconnect": "oauth",
    "oidc": "oauth",
    "scrum": "agile",
    "kanban": "agile",
}
"""Other keys of the same skill, so that ``Golang`` finds the questions written for ``Go``."""

SKILL_CATEGORIES: dict[str, str] = {
    "python": "language",
    "java": "language",
    "javascript": "frontend",
    "typescript": "frontend",
    "go": "language",
    "rust": "language",
    "c#": "language",
    "c++": "language",
    "kotlin": "mobile",
    "swift": "mobile",
    "sql": "database",
    "postgresql": "database",
    "mysql": "database",
    "sqlserver": "database",
    "mongodb": "database",
    "redis": "database",
    "elasticsearch": "database",
    "kafka": "backend_framework",
    "rabbitmq": "backend_framework",
    "django": "backend_framework",
    "fastapi": "backend_framework",
    "flask": "backend_framework",
    "spring": "backend_framework",
    "nodejs": "backend_framework",
    "net": "backend_framework",
    "graphql": "backend_framework",
    "rest": "backend_framework",
    "react": "frontend",
    "angular": "frontend",
    "vue": "frontend",
    "css": "frontend",
    "docker": "devops",
    "kubernetes": "devops",
    "terraform": "devops",
    "cicd": "devops",
    "linux": "devops",
    "prometheus": "devops",
    "git": "devops",
    "aws": "cloud",
    "gcp": "cloud",
    "azure": "cloud",
    "spark": "data",
    "airflow": "data",
    "pandas": "data",
    "dbt": "data",
    "tableau": "data",
    "statistics": "data",
    "experimentation": "data",
    "pytorch": "ml",
    "tensorflow": "ml",
    "scikitlearn": "ml",
    "machinelearning": "ml",
    "llms": "ml",
    "mlops": "ml",
    "android": "mobile",
    "ios": "mobile",
    "reactnative": "mobile",
    "flutter": "mobile",
    "selenium": "testing",
    "playwright": "testing",
    "cypress": "testing",
    "pytest": "testing",
    "testautomation": "testing",
    "owasp": "security",
    "oauth": "security",
    "threatmodeling": "security",
    "incidentresponse": "security",
    "agile": "project",
    "jira": "project",
    "riskmanagement": "project",
    "stakeholdermanagement": "project",
    "productmetrics": "product",
    "roadmapping": "product",
    "userresearch": "product",
    "prioritization": "product",
    "systemdesign": "general",
    "apidesign": "backend_framework",
    "caching": "backend_framework",
    "observability": "devops",
    "accessibility": "frontend",
    "webperformance": "frontend",
    "datamodeling": "database",
    "distributedsystems": "general",
    # Skills the skills library files under broad categories ("library", "framework",
    # "practice", "tool") that need a narrower question category.
    **dict.fromkeys(
        (
            "jest",
            "mocha",
            "chai",
            "jasmine",
            "karma",
            "unittest",
            "mockito",
            "testng",
            "rspec",
            "cucumber",
            "vitest",
            "enzyme",
            "reacttestinglibrary",
            "appium",
            "puppeteer",
            "junit",
            "jmeter",
            "gatling",
            "locust",
            "k6",
            "unittesting",
            "integrationtesting",
            "endtoendtesting",
            "testdrivendevelopment",
            "behaviordrivendevelopment",
            "performancetesting",
            "manualtesting",
            "qualityassurance",
            "contracttesting",
        ),
        "testing",
    ),
    **dict.fromkeys(
        (
            "svelte",
            "nextjs",
            "nuxtjs",
            "gatsby",
            "emberjs",
            "backbonejs",
            "jquery",
            "redux",
            "tailwindcss",
            "bootstrap",
            "materialui",
            "threejs",
            "d3js",
            "webpack",
            "vite",
            "babel",
            "storybook",
            "rxjs",
            "htmx",
            "lodash",
            "axios",
            "html",
            "sass",
            "less",
            "responsivedesign",
            "frontenddevelopment",
            "webdevelopment",
        ),
        "frontend",
    ),
    **dict.fromkeys(
        ("xamarin", "ionic", "uikit", "objectivec", "dart", "mobiledevelopment"), "mobile"
    ),
    **dict.fromkeys(
        (
            "numpy",
            "scipy",
            "matplotlib",
            "seaborn",
            "plotly",
            "polars",
            "dask",
            "scrapy",
            "beautifulsoup",
            "powerbi",
            "looker",
            "r",
            "streamlit",
            "etl",
            "datawarehousing",
        ),
        "data",
    ),
    **dict.fromkeys(
        (
            "cybersecurity",
            "penetrationtesting",
            "cryptography",
            "identityandaccessmanagement",
            "authentication",
            "compliance",
            "burpsuite",
            "metasploit",
            "nmap",
            "wireshark",
        ),
        "security",
    ),
    **dict.fromkeys(("databasedesign",), "database"),
}
"""The question category of every skill the bank knows, when the skills library has none."""


_KEY_CHARS = re.compile(r"[^a-z0-9+#]")


def skill_key(name: str) -> str:
    """The bank's key of a skill name: "Node.js" -> "nodejs", "Golang" -> "go"."""
    key = _KEY_CHARS.sub("", name.lower())
    return SKILL_ALIASES.get(key, key)


class TechnicalBank(BaseModel):
    """The whole file, validated."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    version: int
    description: str
    skills: dict[str, tuple[QuestionTemplate, ...]]
    categories: dict[str, tuple[QuestionTemplate, ...]]

    @model_validator(mode="after")
    def _sound(self) -> Self:
        for category, templates in self.categories.items():
            if len(templates) < MIN_TEMPLATES_PER_CATEGORY:
                raise ValueError(f"the category {category} has fewer than four templates")
            for template in templates:
                if PLACEHOLDER not in template.text:
                    raise ValueError(f"a {category} template names no {PLACEHOLDER}")
        by_key: dict[str, str] = {}
        for name, questions in self.skills.items():
            if not questions:
                raise ValueError(f"{name} has no questions")
            other = by_key.setdefault(skill_key(name), name)
            if other != name:
                raise ValueError(f"{other!r} and {name!r} are one skill: list its questions once")
        return self


@cache
def technical_bank() -> TechnicalBank:
    """The packaged bank, read and validated once."""
    raw = resources.files("careerflow_question_gen").joinpath("technical_questions.json")
    return TechnicalBank.model_validate(json.loads(raw.read_text("utf-8")))


SKILL_QUESTIONS: dict[str, tuple[QuestionTemplate, ...]] = {
    skill_key(name): questions for name, questions in technical_bank().skills.items()
}
"""Questions written for one skill each, by skill key; the concrete points make them gradable."""
CATEGORY_QUESTIONS: dict[str, tuple[QuestionTemplate, ...]] = technical_bank().categories
"""Templates for any skill of a category; ``{skill}`` is the skill's display name."""
CATEGORIES: tuple[str, ...] = tuple(CATEGORY_QUESTIONS)
"""Question categories. Every category has at least four templates in ``CATEGORY_QUESTIONS``."""
