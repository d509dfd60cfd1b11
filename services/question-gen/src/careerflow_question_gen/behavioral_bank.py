"""The behavioral question bank: questions per competency, some written for one role family.

Data only. Every competency has at least four questions for any role, so that up to 32
distinct behavioral questions exist for every family; ``FAMILY_QUESTIONS`` adds questions in a
family's own setting, preferred when the family matches.
"""

from __future__ import annotations

from careerflow_question_gen.bank_types import QuestionTemplate as T

COMPETENCIES = (
    "conflict",
    "failure",
    "ownership",
    "prioritisation",
    "influence",
    "learning",
    "ambiguity",
    "collaboration",
)

_STAR = "a specific situation, not a general habit"
_I = "their own actions (I, not only we)"

BEHAVIORAL_QUESTIONS: dict[str, tuple[T, ...]] = {
    "conflict": (
        T(
            "Tell me about a time you strongly disagreed with a colleague about a technical or "
            "work decision. How did you handle it, and what was the outcome?",
            (
                _STAR,
                "understood the other person's reasons",
                "argued with data or evidence, not rank",
                "reached a decision and committed to it",
                "the relationship afterwards",
            ),
        ),
        T(
            "Describe a situation where two people or teams you depended on wanted opposite "
            "things. What did you do?",
            (
                _STAR,
                "clarified each side's underlying goal",
                "made the trade-off explicit",
                "escalated only when needed, with options",
                "the result for both sides",
            ),
        ),
        T(
            "Tell me about a time you received feedback you thought was unfair. How did you "
            "respond?",
            (
                _STAR,
                "listened before reacting",
                "separated the useful part from the rest",
                "a concrete change made",
                "followed up with the person",
            ),
        ),
        T(
            "Give an example of a difficult conversation you had to start with a teammate. Why "
            "was it necessary and how did it go?",
            (
                _STAR,
                "raised it early and in private",
                "described behaviour and impact, not personality",
                "agreed on next steps",
                "the outcome",
            ),
        ),
    ),
    "failure": (
        T(
            "Tell me about a mistake you made that had a real impact on users or your team. "
            "What happened and what did you change afterwards?",
            (
                "owns the mistake without blaming others",
                "the impact in concrete terms",
                "immediate actions to limit the damage",
                "a lasting change (process, test, check)",
            ),
        ),
        T(
            "Describe a project that did not go as planned. Looking back, what would you do "
            "differently?",
            (
                _STAR,
                "early warning signs that were missed",
                "what they personally did",
                "specific lessons applied later",
            ),
        ),
        T(
            "Tell me about a time you missed a deadline or a commitment. How did you handle it?",
            (
                "told stakeholders early",
                "explained the cause honestly",
                "proposed a new plan or reduced scope",
                "what changed in how they estimate or commit",
            ),
        ),
        T(
            "What is the most useful thing you learned from a failure, and how have you used "
            "it since?",
            (
                _STAR,
                "honest reflection",
                "a clear lesson",
                "a later situation where it was applied",
            ),
        ),
    ),
    "ownership": (
        T(
            "Tell me about a time you took responsibility for a problem that was not formally "
            "yours. Why did you step in and what happened?",
            (
                _STAR,
                "noticed the problem and its impact",
                _I,
                "brought in the right people",
                "the measurable result",
            ),
        ),
        T(
            "Describe something you built or ran end to end. How did you make sure it kept "
            "working after launch?",
            (
                "scope of what they owned",
                "monitoring or follow-up after launch",
                "handled issues that came up",
                "documentation or handover",
            ),
        ),
        T(
            "Give an example of a time you went beyond what was asked to get a better result "
            "for the customer or the team.",
            (
                _STAR,
                "why the extra effort mattered",
                _I,
                "the impact, ideally measured",
            ),
        ),
        T(
            "Tell me about a time you noticed a long-standing problem everyone had accepted. "
            "What did you do about it?",
            (
                _STAR,
                "made the cost of the problem visible",
                "proposed and drove a fix",
                "the result and who benefited",
            ),
        ),
    ),
    "prioritisation": (
        T(
            "Tell me about a time you had more work than you could possibly finish. How did you "
            "decide what to do first?",
            (
                "clear criteria such as impact, urgency, effort",
                "aligned priorities with the manager or stakeholders",
                "said no or deferred something explicitly",
                "the outcome",
            ),
        ),
        T(
            "Describe a situation where you had to choose between doing something quickly and "
            "doing it properly. What did you choose and why?",
            (
                _STAR,
                "the trade-off and its risks",
                "how the decision was made and with whom",
                "follow-up on any shortcut taken",
            ),
        ),
        T(
            "Tell me about a time priorities changed suddenly in the middle of your work. How "
            "did you adapt?",
            (
                _STAR,
                "understood why priorities changed",
                "wrapped up or parked work cleanly",
                "communicated the impact",
            ),
        ),
        T(
            "Give an example of when you stopped working on something because it was no longer "
            "the most valuable thing to do.",
            (
                _STAR,
                "the signal that value had changed",
                "how the decision was communicated",
                "what the freed time went to",
            ),
        ),
    ),
    "influence": (
        T(
            "Tell me about a time you convinced people who did not report to you to change how "
            "they worked or what they built.",
            (
                _STAR,
                "understood what the other people cared about",
                "used data, prototypes or examples",
                "built allies",
                "the change that resulted",
            ),
        ),
        T(
            "Describe a time you proposed an idea that was initially rejected. What did you do "
            "next?",
            (
                _STAR,
                "sought to understand the objections",
                "adapted the proposal",
                "the eventual outcome, even if still no",
            ),
        ),
        T(
            "Give an example of how you got a decision made when several stakeholders had "
            "different opinions.",
            (
                _STAR,
                "clear options with trade-offs",
                "identified who decides",
                "a decision and its follow-through",
            ),
        ),
        T(
            "Tell me about a time you helped a colleague grow or improve. What did you do?",
            (
                _STAR,
                "specific support given (mentoring, feedback, pairing)",
                "adapted to the person",
                "the progress they made",
            ),
        ),
    ),
    "learning": (
        T(
            "Tell me about a time you had to learn a new technology or domain quickly to "
            "deliver something. How did you go about it?",
            (
                _STAR,
                "a deliberate learning approach",
                "used experts, documentation or small experiments",
                "delivered the result",
                "how long it took",
            ),
        ),
        T(
            "What is something you learned in the last year that changed how you work?",
            (
                "a specific learning",
                "how they learned it",
                "a concrete change in their work",
            ),
        ),
        T(
            "Describe a piece of feedback that changed how you work. What did you do with it?",
            (
                "the feedback itself",
                "their reaction",
                "concrete changes made",
                "evidence the change stuck",
            ),
        ),
        T(
            "Tell me about a time you realised you were out of your depth. What did you do?",
            (
                _STAR,
                "admitted it early",
                "asked for help or found resources",
                "the outcome and what they learned",
            ),
        ),
    ),
    "ambiguity": (
        T(
            "Tell me about a time you had to start work with unclear requirements. How did you "
            "make progress?",
            (
                _STAR,
                "asked clarifying questions of the right people",
                "wrote down assumptions",
                "delivered something small to get feedback",
                "adjusted as things became clear",
            ),
        ),
        T(
            "Describe a decision you had to make without all the information you wanted. How "
            "did you decide?",
            (
                _STAR,
                "what was known and unknown",
                "reversible vs irreversible decision",
                "how the risk was limited",
                "the outcome",
            ),
        ),
        T(
            "Give an example of a problem nobody knew how to approach. How did you break it down?",
            (
                _STAR,
                "broke the problem into parts",
                "investigated or prototyped",
                "a plan others could follow",
            ),
        ),
        T(
            "Tell me about a time the goal of your project changed halfway through. How did you "
            "handle it?",
            (
                _STAR,
                "understood the new goal",
                "salvaged what was still useful",
                "kept the team informed and motivated",
            ),
        ),
    ),
    "collaboration": (
        T(
            "Tell me about a project where you worked closely with people from other "
            "disciplines. How did you make the collaboration work?",
            (
                _STAR,
                "understood the other disciplines' constraints",
                "agreed ways of working",
                "communicated without jargon",
                "the shared result",
            ),
        ),
        T(
            "Describe a time a teammate was struggling or not delivering. What did you do?",
            (
                _STAR,
                "talked to them directly and with empathy",
                "offered concrete help",
                "involved the manager only if needed",
                "the outcome",
            ),
        ),
        T(
            "Give an example of how you helped a team work better together.",
            (
                _STAR,
                "the problem in how the team worked",
                "a concrete change they drove",
                "the effect on the team",
            ),
        ),
        T(
            "Tell me about a time you had to rely on another team to deliver your work. How did "
            "you manage the dependency?",
            (
                _STAR,
                "made the need and deadline clear early",
                "regular check-ins",
                "a plan B",
                "the result",
            ),
        ),
    ),
}
"""Questions for any role, per competency."""

FAMILY_QUESTIONS: dict[str, dict[str, tuple[T, ...]]] = {
    "devops": {
        "ownership": (
            T(
                "Tell me about a production incident you led or helped resolve. What did you "
                "do during the incident, and what changed afterwards?",
                (
                    "their role during the incident",
                    "mitigation before root cause",
                    "communication with stakeholders",
                    "blameless postmortem",
                    "follow-up actions completed",
                ),
            ),
        ),
        "influence": (
            T(
                "Describe a time you persuaded development teams to adopt a reliability or "
                "operational practice they resisted.",
                (
                    _STAR,
                    "made the risk or cost concrete",
                    "made the practice easy to adopt",
                    "the adoption that followed",
                ),
            ),
        ),
    },
    "product": {
        "conflict": (
            T(
                "Tell me about a time engineering and a key stakeholder disagreed about what to "
                "build. How did you resolve it?",
                (
                    _STAR,
                    "understood both sides' constraints",
                    "brought the discussion back to user and business outcomes",
                    "a clear decision and rationale",
                    "the result",
                ),
            ),
        ),
        "prioritisation": (
            T(
                "Tell me about a time you said no to a request from an important customer or "
                "executive. How did you do it?",
                (
                    _STAR,
                    "reasoning tied to strategy or data",
                    "offered an alternative",
                    "kept the relationship",
                ),
            ),
        ),
    },
    "project": {
        "ambiguity": (
            T(
                "Tell me about a project you took over that had no clear plan. How did you get "
                "it under control?",
                (
                    _STAR,
                    "assessed scope, status and risks",
                    "built a realistic plan with the team",
                    "reset expectations with stakeholders",
                    "the result",
                ),
            ),
        ),
        "failure": (
            T(
                "Describe a project that went over time or budget. What happened and what "
                "would you do differently?",
                (
                    _STAR,
                    "the root causes",
                    "how it was communicated",
                    "recovery actions",
                    "lessons applied later",
                ),
            ),
        ),
    },
    "qa": {
        "influence": (
            T(
                "Tell me about a time you had to argue that a release should not ship because "
                "of quality problems. What happened?",
                (
                    _STAR,
                    "evidence of user impact",
                    "options other than a plain no",
                    "the decision and its outcome",
                ),
            ),
        ),
    },
    "security": {
        "collaboration": (
            T(
                "Describe a time you worked with a development team to fix a security issue "
                "under time pressure.",
                (
                    _STAR,
                    "explained the risk clearly",
                    "helped with the fix rather than only reporting it",
                    "verification of the fix",
                ),
            ),
        ),
    },
    "data": {
        "influence": (
            T(
                "Tell me about a time your analysis changed a decision that had already been "
                "made. How did you get people to act on it?",
                (
                    _STAR,
                    "rigour of the analysis",
                    "clear story for the audience",
                    "handled push-back",
                    "the decision that followed",
                ),
            ),
        ),
    },
    "ml": {
        "failure": (
            T(
                "Tell me about a model that looked good offline but disappointed in "
                "production. What went wrong and what did you learn?",
                (
                    _STAR,
                    "root cause such as leakage, drift or a wrong metric",
                    "how it was discovered",
                    "changes to the evaluation process",
                ),
            ),
        ),
    },
    "frontend": {
        "collaboration": (
            T(
                "Tell me about a time you worked with a designer on a feature where the design "
                "was hard to build as drawn. How did you handle it?",
                (
                    _STAR,
                    "raised the constraint early",
                    "proposed alternatives",
                    "reached a solution both accepted",
                ),
            ),
        ),
    },
    "mobile": {
        "ownership": (
            T(
                "Tell me about a time a release of your app caused a problem for users. How "
                "did you respond?",
                (
                    "detection (crash reports, reviews)",
                    "halted the rollout or shipped a fix",
                    "communicated with users or support",
                    "prevention afterwards",
                ),
            ),
        ),
    },
    "backend": {
        "ownership": (
            T(
                "Tell me about a time a service you owned had an outage or serious bug. What "
                "did you do, and what did you change afterwards?",
                (
                    "detection and first response",
                    "mitigation and communication",
                    "root cause",
                    "tests, alerts or design changes afterwards",
                ),
            ),
        ),
    },
    "fullstack": {
        "prioritisation": (
            T(
                "Tell me about a feature where you had to balance front-end polish against "
                "back-end robustness under a deadline. What did you prioritise?",
                (
                    _STAR,
                    "criteria for the choice",
                    "agreed with the team or product owner",
                    "followed up on deferred work",
                ),
            ),
        ),
    },
}
"""Questions set in one family's world, per family and competency."""
