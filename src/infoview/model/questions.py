"""Questions to ask, the built-in question bank, and agendas that fit a time slot."""

from __future__ import annotations

import enum
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from functools import cache
from typing import Any, overload

import attrs

from infoview.errors import PlanError, ValidationError
from infoview.model import _fields, _show, _times

__all__ = ["Agenda", "Category", "Question", "QuestionBank"]


class Category(enum.StrEnum):
    """What a question is about; the order here is the usual order of a conversation."""

    CAREER_PATH = "career_path"
    DAY_TO_DAY = "day_to_day"
    SKILLS_TRAINING = "skills_training"
    INDUSTRY = "industry"
    COMPANY_CULTURE = "company_culture"
    ADVICE = "advice"
    REFERRALS = "referrals"


def _slug(text: str, length: int = 48) -> str:
    """Make an ASCII identifier from text, for stable keys."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", ascii_text.lower()).strip("_")[:length].rstrip("_")


def _default_key(question: Question) -> str:
    # Runs before the validators: a bad category or text is refused right after.
    category = question.category.value if isinstance(question.category, Category) else "unknown"
    text = question.text if isinstance(question.text, str) else ""
    return f"{category}.{_slug(text)}"


@attrs.frozen
class Question:
    """One question for an interview.

    Args:
        text: The question as you would ask it.
        category: What it is about.
        priority: 1 (ask first, must ask) to 5 (nice to have).
        minutes: Estimated minutes it takes to ask and hear the answer.
        probes: Short follow-up prompts if the answer is brief.
        key: A stable identifier; derived from category and text when not given.
    """

    text: str = attrs.field(
        converter=_fields.strip_text, validator=[_fields.required_text, _fields.single_line]
    )
    category: Category = attrs.field(
        converter=_fields.choice(Category)  # type: ignore[misc]  # python/mypy#15736
    )
    priority: int = attrs.field(
        default=3, validator=_fields.whole_number(1, 5, "1 is the most important, 5 the least")
    )
    minutes: int = attrs.field(
        default=3, validator=_fields.whole_number(1, 15, "open questions take about 2–3 minutes")
    )
    probes: tuple[str, ...] = attrs.field(
        default=(), converter=_fields.text_tuple, validator=_fields.single_line_items
    )
    key: str = attrs.field(
        default=attrs.Factory(_default_key, takes_self=True),
        converter=_fields.strip_text,
        validator=[_fields.required_text, _fields.single_line],
    )


def _question_tuple(value: Any) -> Any:
    """Turn an iterable of questions into a tuple; anything else passes to the check."""
    if isinstance(value, str | bytes | bytearray | Mapping) or not isinstance(value, Iterable):
        return value
    return tuple(value)


_questions = _fields.list_of(
    Question, "pass Question objects, e.g. from QuestionBank.default()", kind=tuple
)


@attrs.frozen
class Agenda(Sequence[Question]):
    """The questions planned for one interview, in the order to ask them.

    An agenda is a sequence of its questions: iterate over it, take ``len()``,
    index it (``agenda[-1]`` is the last question; a slice gives a tuple).
    ``questions`` holds the same questions as a tuple, and :attr:`minutes`
    estimates the total time.

    Args:
        questions: The questions, referral questions last.
        slot: The interview's length in minutes, when planned for one.
        opening: Minutes kept for introductions.
        closing: Minutes kept for thanks and next steps.
    """

    questions: tuple[Question, ...] = attrs.field(
        default=(), converter=_question_tuple, validator=_questions
    )
    slot: int | None = attrs.field(
        default=None,
        validator=_fields.whole_number(
            *_times.MEETING_MINUTES, "the interview's length in minutes", optional=True
        ),
    )
    opening: int = attrs.field(
        default=2, validator=_fields.whole_number(0, 15, "keep a few minutes for introductions")
    )
    closing: int = attrs.field(
        default=2, validator=_fields.whole_number(0, 15, "keep a few minutes for the close")
    )

    @property
    def question_minutes(self) -> int:
        """Estimated minutes for the questions alone."""
        return sum(q.minutes for q in self.questions)

    @property
    def minutes(self) -> int:
        """Estimated total minutes, including the opening and the closing."""
        if not self.questions:
            return 0
        return self.opening + self.question_minutes + self.closing

    def by_category(self) -> dict[Category, tuple[Question, ...]]:
        """Group the questions by category, keeping their order."""
        groups: dict[Category, list[Question]] = {}
        for question in self.questions:
            groups.setdefault(question.category, []).append(question)
        return {category: tuple(qs) for category, qs in groups.items()}

    def __len__(self) -> int:
        return len(self.questions)

    def __iter__(self) -> Iterator[Question]:
        return iter(self.questions)

    @overload
    def __getitem__(self, index: int) -> Question: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[Question, ...]: ...
    def __getitem__(self, index: int | slice) -> Question | tuple[Question, ...]:
        return self.questions[index]

    def __repr__(self) -> str:
        """Return a short repr: how many questions, the minutes they take, the slot."""
        return _show.short_repr(
            "Agenda", questions=len(self.questions), minutes=self.minutes, slot=self.slot
        )

    def _repr_html_(self) -> str:
        """Show the agenda in a notebook: each question with its category and minutes."""
        slot = f" of a {self.slot}-minute slot" if self.slot else ""
        return _show.card(
            f"Agenda: {len(self.questions)} questions, {self.minutes} minutes{slot}",
            [("Opening", f"{self.opening} min"), ("Closing", f"{self.closing} min")],
            [f"{q.text} ({q.category.value}, {q.minutes} min)" for q in self.questions],
        )


def _unique_keys(
    instance: Any, attribute: attrs.Attribute[Any], value: tuple[Question, ...]
) -> None:
    seen: set[str] = set()
    for question in value:
        if question.key in seen:
            raise ValidationError(
                "QuestionBank",
                "questions",
                question.key,
                f"two questions share the key {question.key!r}",
                "give each question its own key",
            )
        seen.add(question.key)


@attrs.frozen
class QuestionBank:
    """A collection of questions to plan agendas from.

    Start from :meth:`default` and :meth:`add` your own, or build one from scratch.
    """

    questions: tuple[Question, ...] = attrs.field(
        converter=_question_tuple, validator=[_questions, _unique_keys]
    )

    @classmethod
    def default(cls) -> QuestionBank:
        """Return the built-in bank: the founding questions and more in every category."""
        return _default_bank()

    def add(self, *questions: Question) -> QuestionBank:
        """Return a new bank with more questions; this one stays as it is.

        A bank is a value, like its questions: ``QuestionBank.default()`` is
        shared, so adding to it must not change it for everyone else. (A
        :class:`~infoview.Templates` set is different: it is a configured
        object, and :meth:`~infoview.Templates.add` registers in place.)

        Your questions go first in bank order, so among questions of equal
        priority :meth:`plan` picks yours first. A question with an existing
        key replaces it.
        """
        keys = {q.key for q in questions}
        return QuestionBank((*questions, *(q for q in self.questions if q.key not in keys)))

    def filter(self, *categories: Category | str) -> QuestionBank:
        """Return a bank with only the questions in the given categories."""
        wanted = {
            _fields.to_member(Category, c, "QuestionBank.filter", "categories") for c in categories
        }
        return QuestionBank(tuple(q for q in self.questions if q.category in wanted))

    def __getitem__(self, key: str) -> Question:
        for question in self.questions:
            if question.key == key:
                return question
        raise KeyError(f"no question has the key {key!r}; see QuestionBank.keys()")

    def keys(self) -> tuple[str, ...]:
        """Return every question's key, in bank order."""
        return tuple(q.key for q in self.questions)

    def __len__(self) -> int:
        return len(self.questions)

    def __iter__(self) -> Iterator[Question]:
        return iter(self.questions)

    def plan(
        self,
        minutes: int = 20,
        *,
        categories: Iterable[Category | str] | None = None,
        include: str | Iterable[str] = (),
        opening: int = 2,
        closing: int = 2,
    ) -> Agenda:
        """Plan an agenda that fits a slot.

        Keeps ``opening`` and ``closing`` minutes for introductions and thanks,
        reserves the top-priority referral questions ("who else should I talk
        to?", "would you introduce me?") for the end, then fills the rest by
        priority. The same input always gives the same agenda.

        Args:
            minutes: Length of the interview (10–60).
            categories: Only plan questions from these categories (referral
                questions are always kept).
            include: Keys of questions that must be on the agenda (one key may be
                given alone: ``include="referrals.who_else"``).
            opening: Minutes kept for introductions.
            closing: Minutes kept for the close.

        Returns:
            An :class:`Agenda` whose :attr:`Agenda.minutes` is at most ``minutes``.

        Raises:
            PlanError: When ``minutes`` is out of range, a key is unknown, or the
                included questions do not fit.
        """
        shortest, longest = _times.MEETING_MINUTES
        if (
            isinstance(minutes, bool)
            or not isinstance(minutes, int)
            or not shortest <= minutes <= longest
        ):
            raise PlanError(
                f"plan(minutes={minutes!r}): give a whole number of minutes from {shortest} to "
                f"{longest} (15, 20 and 30 are usual)"
            )
        if isinstance(include, str):
            keys: tuple[Any, ...] = (include,)
        elif isinstance(include, Iterable):
            keys = tuple(include)
        else:
            raise PlanError(
                f"plan(include={include!r}): give question keys, e.g. "
                "include=['referrals.who_else'] (QuestionBank.keys() lists them)"
            )
        order = {q.key: i for i, q in enumerate(self.questions)}

        def rank(q: Question) -> tuple[int, int]:
            return (q.priority, order[q.key])

        budget = minutes - opening - closing
        wanted = (
            None
            if categories is None
            else {
                _fields.to_member(Category, c, "QuestionBank.plan", "categories")
                for c in categories
            }
        )
        referrals = sorted(
            (q for q in self.questions if q.category is Category.REFERRALS), key=rank
        )
        top = referrals[0].priority if referrals else 0
        closing_questions = [q for q in referrals if q.priority == top]
        chosen: list[Question] = []
        for key in keys:
            try:
                question = self[key]
            except KeyError as exc:
                raise PlanError(f"plan(include=…): {exc.args[0]}") from None
            if question not in chosen and question not in closing_questions:
                chosen.append(question)
        used = sum(q.minutes for q in (*chosen, *closing_questions))
        if used > budget:
            raise PlanError(
                f"plan(minutes={minutes}): the included and referral questions need {used} minutes "
                f"but only {budget} are left after {opening} for the opening and {closing} for "
                "the close; include fewer questions or plan a longer slot"
            )
        for question in sorted(self.questions, key=rank):
            if question in chosen or question in closing_questions:
                continue
            if wanted is not None and question.category not in wanted:
                continue
            if used + question.minutes <= budget:
                chosen.append(question)
                used += question.minutes
        chosen.sort(key=lambda q: (q.category is Category.REFERRALS, *rank(q)))
        return Agenda(
            questions=(*chosen, *closing_questions), slot=minutes, opening=opening, closing=closing
        )


def _q(
    category: Category, key: str, text: str, priority: int, minutes: int, *probes: str
) -> Question:
    return Question(
        text=text,
        category=category,
        priority=priority,
        minutes=minutes,
        probes=probes,
        key=f"{category.value}.{key}",
    )


@cache
def _default_bank() -> QuestionBank:
    c = Category
    return QuestionBank(
        (
            # Career path
            _q(c.CAREER_PATH, "how_you_got_here", "How did you get to where you are now?", 2, 3,
               "Was there a turning point?", "What would you do differently?"),
            _q(c.CAREER_PATH, "degree_applies", "How does your degree or training show up in "
               "your work today?", 1, 3, "What did you have to learn on the job instead?"),
            _q(c.CAREER_PATH, "surprises", "What surprised you most about this job or career?", 1,
               3, "Was it a good surprise?"),
            _q(c.CAREER_PATH, "first_role", "What was your first role in this field, and how did "
               "you land it?", 3, 3),
            _q(c.CAREER_PATH, "next_step", "Where do people in your role usually go next?", 4, 2),
            _q(c.CAREER_PATH, "switching_in", "What helps someone coming from another field make "
               "the switch?", 3, 3),
            # Day to day
            _q(c.DAY_TO_DAY, "typical_week", "What does a typical day or week look like for you?",
               1, 3, "Which part of it do you enjoy most?", "Which part drains you?"),
            _q(c.DAY_TO_DAY, "time_split", "How is your time split between meetings, focused "
               "work and everything else?", 4, 2),
            _q(c.DAY_TO_DAY, "hardest_part", "What is the hardest part of the job?", 2, 3),
            _q(c.DAY_TO_DAY, "best_part", "What do you enjoy most about your work?", 3, 2),
            _q(c.DAY_TO_DAY, "who_you_work_with", "Who do you work with most closely?", 4, 2),
            # Skills and training
            _q(c.SKILLS_TRAINING, "skill_outside_school", "Which skill that you built outside "
               "school or formal training helps you most?", 1, 3,
               "Where did you pick it up?"),
            _q(c.SKILLS_TRAINING, "recommended_training", "Which skills, trainings or "
               "certificates would you recommend to someone starting out?", 1, 3,
               "Which ones are overrated?"),
            _q(c.SKILLS_TRAINING, "skill_gap", "Which skills do newcomers most often lack?", 3, 2),
            _q(c.SKILLS_TRAINING, "keep_learning", "How do you keep your skills up to date?", 4, 2),
            _q(c.SKILLS_TRAINING, "portfolio", "What could I build or show that would "
               "demonstrate those skills?", 3, 3),
            # Industry
            _q(c.INDUSTRY, "trends", "Which trends are changing your industry right now?", 2, 3),
            _q(c.INDUSTRY, "outlook", "How do you see the field changing over the next five "
               "years?", 3, 3),
            _q(c.INDUSTRY, "entry_points", "What are the common ways into this industry?", 3, 2),
            _q(c.INDUSTRY, "resources", "Which newsletters, communities or events do you follow?",
               3, 2),
            _q(c.INDUSTRY, "misconceptions", "What do outsiders most often get wrong about this "
               "industry?", 4, 2),
            # Company culture
            _q(c.COMPANY_CULTURE, "describe_culture", "How would you describe the culture where "
               "you work?", 3, 3),
            _q(c.COMPANY_CULTURE, "who_thrives", "What kind of person thrives on your team?", 2,
               2),
            _q(c.COMPANY_CULTURE, "growth", "How does your organization support growth and "
               "learning?", 4, 2),
            _q(c.COMPANY_CULTURE, "decisions", "How are decisions made on your team?", 5, 2),
            _q(c.COMPANY_CULTURE, "changed", "What would you change about where you work, if "
               "you could?", 5, 2),
            # Advice
            _q(c.ADVICE, "past_self", "What would you tell your past self when you were starting "
               "out?", 1, 3),
            _q(c.ADVICE, "in_my_shoes", "If you were in my position, what would you do next?", 2,
               3),
            _q(c.ADVICE, "mistakes", "Which mistakes should I avoid?", 3, 2),
            _q(c.ADVICE, "stand_out", "What makes a newcomer stand out in your field?", 3, 2),
            _q(c.ADVICE, "wish_asked", "What do you wish more people asked you about your "
               "work?", 4, 2),
            # Referrals: the top-priority ones always close the agenda.
            _q(c.REFERRALS, "who_else", "Who else do you think I should talk to?", 1, 2),
            _q(c.REFERRALS, "introduce_me", "Would you be willing to introduce me, or may I "
               "mention your name when I write?", 1, 1),
            _q(c.REFERRALS, "groups", "Are there groups or events where I could meet people "
               "in this field?", 3, 2),
            _q(c.REFERRALS, "stay_in_touch", "May I keep you posted on how things go?", 3, 1),
            _q(c.REFERRALS, "help_you", "Is there anything I can help you with?", 3, 1),
        )
    )  # fmt: skip
