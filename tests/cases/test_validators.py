"""NHS numbers and unique pupil numbers: check characters worked by hand, so a typo cannot match a child."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum.gb import nhs as stdnum_nhs
from stdnum.gb import upn as stdnum_upn

from cases.validators import (
    nhs_check_digit,
    normalise_nhs_number,
    normalise_upn,
    upn_check_letter,
    validate_nhs_number,
    validate_upn,
)
from tests.factories import make_child


def test_nhs_number_with_matching_check_digit_is_valid():
    # 9x10 + 4x9 + 3x8 + 4x7 + 7x6 + 6x5 + 5x4 + 9x3 + 1x2 = 299; 299 mod 11 = 2; 11 - 2 = 9.
    assert nhs_check_digit("943476591") == 9
    validate_nhs_number("9434765919")


def test_nhs_check_of_eleven_means_check_digit_zero():
    # 4x10 + 0x9 + 1x8 + 0x7 + 2x6 + 3x5 + 2x4 + 0x3 + 8x2 = 99; 99 mod 11 = 0; 11 - 0 = 11 -> 0.
    assert nhs_check_digit("401023208") == 0
    validate_nhs_number("4010232080")


@pytest.mark.parametrize("last_digit", "0123456789")
def test_nhs_check_of_ten_is_never_a_valid_number(last_digit):
    # 4x10 + 0x9 + 1x8 + 0x7 + 2x6 + 3x5 + 2x4 + 0x3 + 3x2 = 89; 89 mod 11 = 1; 11 - 1 = 10: never issued.
    assert nhs_check_digit("401023203") is None
    with pytest.raises(ValidationError, match="the check digit does not match"):
        validate_nhs_number("401023203" + last_digit)


def test_nhs_number_with_a_wrong_check_digit_is_refused_with_a_clear_message():
    with pytest.raises(ValidationError) as error:
        validate_nhs_number("9434765918")
    assert error.value.messages == ["Enter a valid NHS number: the check digit does not match"]


@pytest.mark.parametrize("value", ["943476591", "94347659190", "943476591A"])
def test_nhs_number_must_be_ten_digits(value):
    with pytest.raises(ValidationError, match="10 digits"):
        validate_nhs_number(value)


def test_nhs_number_is_stored_without_spaces_or_hyphens():
    assert normalise_nhs_number("943 476-5919") == "9434765919"


def test_permanent_upn_with_matching_check_letter_is_valid():
    # 8x2 + 0x3 + 1x4 + 2x5 + 0x6 + 0x7 + 0x8 + 0x9 + 5x10 + 0x11 + 0x12 + 1x13 = 93;
    # 93 mod 23 = 1 -> B (A=0, B=1, ...).
    assert upn_check_letter("801200005001") == "B"
    validate_upn("B801200005001")


def test_temporary_upn_counts_its_final_letter_by_alphabet_position():
    # Final C counts as 2: 8x2 + 1x4 + 2x5 + 5x10 + 2x13 = 106; 106 mod 23 = 14 -> Q
    # (A B C D E F G H J K L M N P Q: I and O are skipped, so Q is the 15th letter, value 14).
    assert upn_check_letter("80120000500C") == "Q"
    validate_upn("Q80120000500C")


def test_upn_with_a_wrong_check_letter_is_refused_with_a_clear_message():
    with pytest.raises(ValidationError) as error:
        validate_upn("A801200005001")
    assert error.value.messages == ["Enter a valid unique pupil number: the check letter does not match"]


def test_changing_a_temporary_upns_final_letter_changes_its_check_letter():
    with pytest.raises(ValidationError, match="check letter does not match"):
        validate_upn("Q80120000500D")


@pytest.mark.parametrize("value", ["B80120000500", "B8012000050011", "I801200005001", "Q80120000500S", "B80120000A001"])
def test_upn_must_be_a_letter_eleven_digits_and_a_digit_or_letter(value):
    with pytest.raises(ValidationError, match="13 characters"):
        validate_upn(value)


def test_upn_is_stored_in_capitals_without_spaces():
    assert normalise_upn("b801 2000 05001") == "B801200005001"


@pytest.mark.django_db
def test_recording_a_child_with_an_invalid_nhs_number_is_refused_on_that_field():
    with pytest.raises(ValidationError) as error:
        make_child(nhs_number="943 476 5918")
    assert error.value.message_dict["nhs_number"] == ["Enter a valid NHS number: the check digit does not match"]


# --- Cross-checked against an independent implementation (python-stdnum, a test dependency) -------
# The portal keeps its own ~30 lines of check-character code: stdnum's UPN validation also refuses
# LA codes it does not list, which the DfE census rules only warn about, so it cannot replace ours.


@settings(max_examples=2000)
@given(st.text(alphabet="0123456789", min_size=10, max_size=10))
def test_nhs_check_digit_agrees_with_stdnum(number):
    assert (nhs_check_digit(number[:9]) == int(number[9])) == stdnum_nhs.is_valid(number)


@settings(max_examples=2000)
@given(st.text(alphabet="0123456789", min_size=11, max_size=11), st.sampled_from("0123456789ABCDEFGHJKLMNPQRTUVWXYZ"))
def test_upn_check_letter_agrees_with_stdnum(digits, last):
    assert upn_check_letter(digits + last) == stdnum_upn.calc_check_digit("A" + digits + last)
