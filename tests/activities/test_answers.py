"""Typed answers compared as the teacher chose: case, spacing, accents and slips."""

from __future__ import annotations

import unicodedata

import pytest

from eduteach.activities.answers import EXACT, Matching, accepts, key, normalize, slips

TOLERANT = Matching()


@pytest.mark.parametrize(
    ("typed", "accepted"),
    [
        ("photosynthesis", "Photosynthesis"),  # case ignored by default
        ("  photo   synthesis ", "photo synthesis"),  # outer and inner spacing
        ("photosynthesys", "photosynthesis"),  # one wrong letter
        ("photosyntesis", "photosynthesis"),  # one missing letter
        ("photosynthessis", "photosynthesis"),  # one extra letter
        ("photosynhtesis", "photosynthesis"),  # two letters swapped
        ("cafe", "café"),  # a missing accent is one slip
        (unicodedata.normalize("NFD", "café"), "café"),  # the same letters, decomposed
    ],
)
def test_tolerant_matching_accepts_slips_a_teacher_forgives(typed: str, accepted: str) -> None:
    assert accepts(typed, [accepted], TOLERANT)


@pytest.mark.parametrize(
    ("typed", "accepted"),
    [
        ("photosinthesys", "photosynthesis"),  # two slips
        ("cat", "car"),  # short words: a slip is another word
        ("", "anything"),
        ("   ", "anything"),
        ("respiration", "photosynthesis"),
    ],
)
def test_tolerant_matching_refuses_other_answers(typed: str, accepted: str) -> None:
    assert not accepts(typed, [accepted], TOLERANT)


def test_exact_matching_needs_case_and_accents() -> None:
    assert accepts(" París ", ["París"], EXACT)
    assert not accepts("parís", ["París"], EXACT)
    assert not accepts("Paris", ["París"], EXACT)
    # NFC/NFD are the same text, even when exact.
    assert accepts(unicodedata.normalize("NFD", "París"), ["París"], EXACT)


def test_case_sensitive_with_slips() -> None:
    rule = Matching(case_sensitive=True, typo_tolerance=1)
    assert accepts("Mitochondira", ["Mitochondria"], rule)
    assert not accepts(
        "mitochondria", ["Mitochondria"], Matching(case_sensitive=True, typo_tolerance=0)
    )


def test_any_accepted_answer_counts() -> None:
    assert accepts("stomates", ["stomata", "stomates"], TOLERANT)


def test_two_slips_when_the_teacher_allows_them() -> None:
    assert accepts("photosinthesys", ["photosynthesis"], Matching(typo_tolerance=2))


def test_tolerance_out_of_range_is_refused() -> None:
    with pytest.raises(ValueError, match="typo_tolerance must be 0 to 2"):
        Matching(typo_tolerance=3)


def test_keys_ignore_case_accents_spacing_and_punctuation() -> None:
    assert key("  Café, au-lait! ") == key("cafe au lait")
    assert normalize("  A  B ") == "a b"


def test_slip_distance_counts_a_swap_as_one() -> None:
    assert slips("abcd", "abdc", 2) == 1
    assert slips("abcd", "wxyz", 1) == 2  # stops past the limit
