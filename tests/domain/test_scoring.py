"""Scoring rules, by example and by property."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scorecard.domain.cards import QualityCard, parse_card
from scorecard.domain.scoring import Answer, AnswerNotAllowed, missing_answers, score

CARD = parse_card(
    {
        "id": "t", "title": "T", "language": "ru", "version": 1,
        "stage": [
            {"id": "contact", "title": "К", "weight": 20, "item": [
                {"id": "greet", "text": "g", "weight": 50, "critical": True},
                {"id": "name", "text": "n", "weight": 50},
            ]},
            {"id": "objections", "title": "В", "weight": 30, "item": [
                {"id": "price", "text": "p", "weight": 70, "na_allowed": True},
                {"id": "later", "text": "l", "weight": 30, "na_allowed": True},
            ]},
            {"id": "close", "title": "З", "weight": 50, "item": [
                {"id": "meet", "text": "m", "weight": 100},
            ]},
        ],
    },
    source="test",
)
P, F, NA = Answer.PASS, Answer.FAIL, Answer.NA


def answers(**given: Answer) -> dict[tuple[str, str], Answer]:
    return {tuple(k.split("__")): v for k, v in given.items()}  # type: ignore[misc]


def test_all_passed_is_100() -> None:
    result = score(CARD, {key: P for key in CARD.item_keys()})
    assert result.total == pytest.approx(100)
    assert not result.critical_fail


def test_stage_is_weighted_share_and_total_is_weighted_mean() -> None:
    result = score(CARD, answers(contact__greet=P, contact__name=F, objections__price=P,
                                 objections__later=F, close__meet=P))
    assert result.stage("contact").score == pytest.approx(50)
    assert result.stage("objections").score == pytest.approx(70)
    assert result.total == pytest.approx(0.2 * 50 + 0.3 * 70 + 0.5 * 100)


def test_all_na_stage_drops_out_and_the_rest_is_renormalised() -> None:
    result = score(CARD, answers(contact__greet=P, contact__name=F, objections__price=NA,
                                 objections__later=NA, close__meet=P))
    assert result.stage("objections").score is None
    assert result.total == pytest.approx((20 * 50 + 50 * 100) / 70)


def test_na_items_leave_the_stage_share() -> None:
    result = score(CARD, answers(objections__price=NA, objections__later=P))
    assert result.stage("objections").score == pytest.approx(100)


def test_failed_critical_item_zeroes_the_total_and_flags() -> None:
    result = score(CARD, {**{key: P for key in CARD.item_keys()}, ("contact", "greet"): F})
    assert result.total == 0
    assert result.critical_fail
    assert result.failed_critical == (("contact", "greet"),)
    assert result.stage("close").score == pytest.approx(100)


def test_na_where_the_card_forbids_it_is_refused() -> None:
    with pytest.raises(AnswerNotAllowed, match="close/meet cannot be n.a."):
        score(CARD, answers(close__meet=NA))


def test_unknown_item_is_refused() -> None:
    with pytest.raises(AnswerNotAllowed, match="no item close/nope"):
        score(CARD, answers(close__nope=P))


def test_partial_answers_give_a_live_score_and_the_missing_list() -> None:
    given_ = answers(close__meet=P)
    assert score(CARD, given_).total == pytest.approx(100)
    assert missing_answers(CARD, given_) == [
        ("contact", "greet"), ("contact", "name"), ("objections", "price"), ("objections", "later")
    ]
    assert score(CARD, {}).total is None


def _answer_sets(card: QualityCard):
    def allowed(key: tuple[str, str]):
        options = [P, F, NA] if card.item(*key).na_allowed else [P, F]
        return st.sampled_from(options)

    return st.fixed_dictionaries({key: allowed(key) for key in card.item_keys()})


@given(_answer_sets(CARD))
def test_scores_stay_within_0_and_100(given_answers: dict) -> None:
    result = score(CARD, given_answers)
    assert result.total is None or 0 <= result.total <= 100
    for stage in result.stages:
        assert stage.score is None or 0 <= stage.score <= 100


@given(_answer_sets(CARD), st.data())
def test_na_instead_of_fail_never_lowers_a_score(given_answers: dict, data) -> None:
    fails = [k for k, v in given_answers.items() if v is F and CARD.item(*k).na_allowed]
    if not fails:
        return
    key = data.draw(st.sampled_from(fails))
    before = score(CARD, given_answers)
    after = score(CARD, {**given_answers, key: NA})
    assert (after.total or 0) >= (before.total or 0) - 1e-9
    stage_before = before.stage(key[0]).score or 0
    stage_after = after.stage(key[0]).score
    assert stage_after is None or stage_after >= stage_before - 1e-9


@given(_answer_sets(CARD))
def test_a_failed_critical_item_always_means_zero(given_answers: dict) -> None:
    result = score(CARD, {**given_answers, ("contact", "greet"): F})
    assert result.total == 0 and result.critical_fail
