"""The question bank and agenda planning."""

from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from infoview import Agenda, Category, PlanError, Question, QuestionBank, ValidationError


@pytest.fixture(scope="module")
def bank() -> QuestionBank:
    """The built-in bank."""
    return QuestionBank.default()


def test_every_category_has_at_least_five(bank: QuestionBank) -> None:
    """Each category holds at least five questions."""
    for category in Category:
        assert len(bank.filter(category)) >= 5, category


def test_founding_questions_present(bank: QuestionBank) -> None:
    """The seven founding questions are in the bank."""
    for key in (
        "day_to_day.typical_week",
        "career_path.degree_applies",
        "career_path.surprises",
        "skills_training.skill_outside_school",
        "advice.past_self",
        "skills_training.recommended_training",
        "referrals.who_else",
        "referrals.introduce_me",
    ):
        assert bank[key].text


@pytest.mark.parametrize(("minutes", "low", "high"), [(15, 4, 5), (20, 5, 7), (30, 8, 10)])
def test_plan_fits_slot_and_ends_with_referrals(
    bank: QuestionBank, minutes: int, low: int, high: int
) -> None:
    """Usual slots fit, hold the expected number of questions and end with the referral asks."""
    agenda = bank.plan(minutes=minutes)
    assert agenda.minutes <= minutes
    assert minutes == agenda.slot
    assert low <= len(agenda) <= high
    assert ["referrals.who_else", "referrals.introduce_me"] == [
        q.key for q in agenda.questions[-2:]
    ]


def test_plan_is_deterministic(bank: QuestionBank) -> None:
    """The same input gives the same agenda."""
    assert bank.plan(20) == bank.plan(20)


def test_plan_by_priority(bank: QuestionBank) -> None:
    """Non-referral questions come highest priority first."""
    agenda = bank.plan(30)
    body = [q.priority for q in agenda.questions if q.category is not Category.REFERRALS]
    assert sorted(body) == body


def test_plan_categories_and_include(bank: QuestionBank) -> None:
    """Category filters keep referral questions; included keys are always planned."""
    agenda = bank.plan(20, categories=[Category.INDUSTRY], include=["advice.mistakes"])
    categories = {q.category for q in agenda.questions}
    assert {Category.INDUSTRY, Category.ADVICE, Category.REFERRALS} == categories
    assert "advice.mistakes" in [q.key for q in agenda.questions]


def test_plan_includes_one_key_given_alone(bank: QuestionBank) -> None:
    """A single key is one key, not a list of its characters; a non-list is refused."""
    agenda = bank.plan(20, include="advice.mistakes")
    assert agenda == bank.plan(20, include=["advice.mistakes"])
    with pytest.raises(PlanError, match="give question keys"):
        bank.plan(20, include=5)  # type: ignore[arg-type]


def test_agenda_is_a_sequence_of_its_questions(bank: QuestionBank) -> None:
    """Iterate, index, slice and count an agenda like the tuple of its questions."""
    agenda = bank.plan(20)
    assert agenda.questions == tuple(agenda)
    assert len(agenda.questions) == len(agenda)
    assert agenda.questions[-1] == agenda[-1]
    assert agenda.questions[1:3] == agenda[1:3]
    assert agenda[0] in agenda
    assert 1 == agenda.index(agenda[1])


def test_plan_errors(bank: QuestionBank) -> None:
    """Bad slots, unknown keys and includes that cannot fit raise PlanError."""
    with pytest.raises(PlanError, match="from 10 to 60"):
        bank.plan(5)
    with pytest.raises(PlanError, match="no question has the key 'nope'"):
        bank.plan(20, include=["nope"])
    with pytest.raises(PlanError, match="longer slot"):
        bank.plan(10, include=list(bank.keys())[:6])


def test_user_bank_extends_default(bank: QuestionBank) -> None:
    """Users add their own questions; an existing key is replaced."""
    mine = Question("How did you move from nursing into product?", Category.CAREER_PATH, priority=1)
    extended = bank.add(mine)
    assert len(bank) + 1 == len(extended)
    assert mine == extended[mine.key]
    assert mine.key.startswith("career_path.how_did_you_move_from_nursing")
    assert mine in extended.plan(20).questions


def test_duplicate_keys_refused() -> None:
    """A bank refuses two questions with the same key."""
    q = Question("Same?", Category.ADVICE, key="same")
    with pytest.raises(ValidationError, match="share the key 'same'"):
        QuestionBank((q, Question("Other?", Category.ADVICE, key="same")))


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"text": "  "}, "text"),
        ({"priority": 0}, "priority"),
        ({"minutes": 0}, "minutes"),
        ({"minutes": 3.5}, "minutes"),
    ],
)
def test_question_validation(kwargs: dict[str, object], field: str) -> None:
    """Question fields are validated and the error names the field."""
    base: dict[str, object] = {"text": "Why?", "category": Category.ADVICE}
    with pytest.raises(ValidationError) as info:
        Question(**{**base, **kwargs})  # type: ignore[arg-type]
    assert field == info.value.field


def test_empty_agenda() -> None:
    """An empty agenda takes no time."""
    assert 0 == Agenda().minutes


@settings(max_examples=60, deadline=None)
@given(
    minutes=st.integers(10, 60),
    categories=st.none() | st.sets(st.sampled_from(Category), min_size=1),
    opening=st.integers(0, 3),
    closing=st.integers(0, 3),
)
def test_plan_never_exceeds_slot(
    minutes: int, categories: set[Category] | None, opening: int, closing: int
) -> None:
    """Whatever the slot and filters, the plan fits and ends with the referral asks."""
    agenda = QuestionBank.default().plan(
        minutes, categories=categories, opening=opening, closing=closing
    )
    assert agenda.minutes <= minutes
    assert ("referrals.who_else", "referrals.introduce_me") == tuple(
        q.key for q in agenda.questions[-2:]
    )
    seen_referral = False
    for q in agenda.questions:
        if q.category is Category.REFERRALS:
            seen_referral = True
        else:
            assert not seen_referral, "referral questions come last"
