"""Checks on the identifiers and coded values of case work, with messages a practitioner can act on.

NHS numbers and unique pupil numbers carry a check character, so most typing mistakes are caught
here, before a mistyped number can match (and attach a concern to) the wrong child.
"""

import re

from django.core.exceptions import ValidationError

NHS_NUMBER_FORMAT = re.compile(r"\d{10}")

# The 23 letters of the unique pupil number alphabet, in value order: A=0, B=1, ... Z=22.
# I, O and S are left out because they are easily mistaken for 1, 0 and 5.
UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"
_UPN_LETTER = f"[{UPN_LETTERS}]"
# A check letter, 11 digits, then a digit (permanent UPN) or a letter (temporary UPN).
UPN_FORMAT = re.compile(rf"{_UPN_LETTER}\d{{11}}[0-9{UPN_LETTERS}]")

_SEPARATORS = re.compile(r"[\s-]")


def normalise_nhs_number(value):
    """'943 476 5919' and '943-476-5919' are how people write it; '9434765919' is what we store."""
    return _SEPARATORS.sub("", value or "")


def normalise_upn(value):
    return _SEPARATORS.sub("", value or "").upper()


def nhs_check_digit(first_nine):
    """The Modulus 11 check digit for the first nine digits, or None if no check digit can be valid.

    Weights 10 down to 2; check = 11 - (sum mod 11); a result of 11 means 0, and 10 means that
    these nine digits are never issued as an NHS number.
    """
    total = sum(int(digit) * weight for digit, weight in zip(first_nine, range(10, 1, -1)))
    check = 11 - total % 11
    if check == 11:
        return 0
    if check == 10:
        return None
    return check


def validate_nhs_number(value):
    if not NHS_NUMBER_FORMAT.fullmatch(value):
        raise ValidationError("Enter an NHS number as 10 digits, like 943 476 5919", code="nhs_number_format")
    if nhs_check_digit(value[:9]) != int(value[9]):
        raise ValidationError("Enter a valid NHS number: the check digit does not match", code="nhs_number_check")


def _upn_value(character):
    """Digits count as themselves; the final letter of a temporary UPN counts as its alphabet position."""
    return int(character) if character.isdigit() else UPN_LETTERS.index(character)


def upn_check_letter(last_twelve):
    """The DfE check letter for characters 2-13 of a unique pupil number.

    Character n (n = 2..13) is weighted n; the sum modulo 23 indexes UPN_LETTERS. For a temporary
    UPN the 13th character is a letter and counts as its value in the same alphabet (A=0 ... Z=22).
    """
    total = sum(_upn_value(character) * weight for character, weight in zip(last_twelve, range(2, 14)))
    return UPN_LETTERS[total % 23]


def validate_upn(value):
    if not UPN_FORMAT.fullmatch(value):
        raise ValidationError(
            "Enter a unique pupil number as 13 characters: a letter, 11 digits, then a digit or a letter",
            code="upn_format",
        )
    if upn_check_letter(value[1:]) != value[0]:
        raise ValidationError("Enter a valid unique pupil number: the check letter does not match", code="upn_check")


def validate_known_neglect_types(codes, known):
    """Every neglect type is on the partnership's list (that at least one is chosen, the model checks)."""
    unknown = sorted(set(codes) - set(known))
    if unknown:
        raise ValidationError({"neglect_types": f"Unknown type of neglect: {', '.join(unknown)}"})
