"""Statutory codes of the DfE Children in Need census (2026 collection) beside the portal's values.

Code lists are copied from the enumerations of `CIN_schema_2026.xsd` (census/schema/), with
the DfE's labels. `tests/census/test_codes.py` checks every list against the schema itself, so a
schema change that adds or drops a code fails a test rather than a return.
"""

from agencies.models import AgencyKind
from plans.models import CIN_CATEGORY_CODES, CPCategory

# Category of abuse (ChildProtectionPlans/InitialCategoryOfAbuse, LatestCategoryOfAbuse).
CATEGORY_OF_ABUSE = {
    "NEG": "Neglect",
    "PHY": "Physical abuse",
    "SAB": "Sexual abuse",
    "EMO": "Emotional abuse",
    "MUL": "Multiple/not recommended",
}
# Our category -> census code: the mapping `cases.models` already stores as `Plan.cin_category_code`.
CATEGORY_CODE_FOR = dict(CIN_CATEGORY_CODES)

# Primary need (CINdetails/PrimaryNeedCode).
PRIMARY_NEED = {
    "N0": "Not stated",
    "N1": "Abuse, neglect and exploitation",
    "N2": "Child's disability",
    "N3": "Parental disability or illness",
    "N4": "Family in acute stress",
    "N5": "Family dysfunction",
    "N6": "Socially unacceptable behaviour",
    "N7": "Low income",
    "N8": "Absent parenting",
    "N9": "Cases other than children in need",
}

# Source of referral (CINdetails/ReferralSource).
REFERRAL_SOURCE = {
    "1A": "Individual – family member, relative or carer",
    "1B": "Individual – acquaintance (including neighbours and child minders)",
    "1C": "Individual – self",
    "1D": "Individual – other (including strangers)",
    "2A": "Schools",
    "2B": "Education services",
    "3A": "Health services – general practitioner (GP)",
    "3B": "Health services – health visitor",
    "3C": "Health services – school nurse",
    "3D": "Health services – other primary health services",
    "3E": "Health services – A&E (accident and emergency department)",
    "3F": "Health services – other (for example hospice)",
    "4": "Housing – local authority housing or housing association",
    "5A": "LA services – social care, for example adults' social care services",
    "5B": "LA services – other internal (for example youth offending, excluding housing)",
    "5C": "LA services – external, for example another local authority's adults' social care services",
    "5D": "LA services – early help",
    "6": "Police",
    "7": "Other legal agency – including courts, probation, immigration, CAFCASS or prison",
    "8": "Other – including children's centres, independent agency providers or voluntary organisations",
    "9": "Anonymous",
    "10": "Unknown",
}

# Our agency kinds -> the referral source of a referral made by such an agency. Each choice:
REFERRAL_SOURCE_FOR_AGENCY_KIND = {
    AgencyKind.SCHOOL: "2A",  # schools
    AgencyKind.EDUCATION_SERVICE: "2B",  # education services (the LA's education teams)
    AgencyKind.GP_ICB: "3A",  # GP practices; an ICB referring is rare and also primary care
    AgencyKind.COMMUNITY_HEALTH: "3B",  # community health trusts here are health visiting and school nursing;
    #                                     health visitor is the larger source (a school nurse referral: override to 3C)
    AgencyKind.PUBLIC_HEALTH: "3D",  # other primary health services
    AgencyKind.HOSPITAL: "3E",  # hospital referrals come through A&E; ward or clinic referrals: override to 3F
    AgencyKind.HOUSING: "4",  # local authority housing or housing association
    AgencyKind.ADULT_SOCIAL_CARE: "5A",  # LA services – social care (adults' social care is the DfE's own example)
    AgencyKind.CHILDRENS_SOCIAL_CARE: "5A",  # a re-referral from within social care
    AgencyKind.EARLY_YEARS: "8",  # children's centres and nurseries are the DfE's example of "other"
    AgencyKind.POLICE: "6",  # police
    AgencyKind.PROBATION: "7",  # other legal agency names probation explicitly
    AgencyKind.VOLUNTARY_SECTOR: "8",  # voluntary organisations
}

# Reason for closure (CINdetails/ReasonForClosure).
REASON_FOR_CLOSURE = {
    "RC1": "Adopted",
    "RC2": "Died",
    "RC3": "Child arrangements order",
    "RC4": "Special guardianship order",
    "RC5": "Transferred to services of another local authority",
    "RC6": "Transferred to adult social care services",
    "RC7": "Services ceased for any other reason, including child no longer in need",
    "RC8": "Case closed after assessment, no further action",
    "RC9": "Case closed after assessment, referred to early help",
}

# Factors identified at assessment (Assessments/FactorsIdentifiedAtAssessment/AssessmentFactors).
ASSESSMENT_FACTORS = {
    "1A": "Alcohol misuse by the child",
    "1B": "Alcohol misuse by the parent(s)/carer(s)",
    "1C": "Alcohol misuse by another person living in the household",
    "2A": "Drug misuse by the child",
    "2B": "Drug misuse by the parent(s)/carer(s)",
    "2C": "Drug misuse by another person living in the household",
    "3A": "Domestic violence: the child being the subject",
    "3B": "Domestic violence: the parent(s)/carer(s) being the subject",
    "3C": "Domestic violence: another person living in the household being the subject",
    "4A": "Mental health of the child",
    "4B": "Mental health of the parent(s)/carer(s)",
    "4C": "Mental health of another person in the family/household",
    "5A": "Learning disability of the child",
    "5B": "Learning disability of the parent(s)/carer(s)",
    "5C": "Learning disability of another person in the family/household",
    "6A": "Physical disability or illness of the child",
    "6B": "Physical disability or illness of the parent(s)/carer(s)",
    "6C": "Physical disability or illness of another person in the family/household",
    "7A": "Young carer",
    "8B": "Privately fostered – overseas children who intend to return",
    "8C": "Privately fostered – overseas children who intend to stay",
    "8D": "Privately fostered – UK children in educational placements",
    "8E": "Privately fostered – UK children making alternative family arrangements",
    "8F": "Privately fostered – other",
    "9A": "Unaccompanied asylum-seeking child",
    "10A": "Going/being missing",
    "11A": "Child sexual exploitation",
    "12A": "Trafficking",
    "13A": "Gangs",
    "14A": "Socially unacceptable behaviour",
    "15A": "Self-harm",
    "16A": "Abuse or neglect – neglect",
    "17A": "Abuse or neglect – emotional abuse",
    "18A": "Abuse or neglect – physical abuse",
    "18B": "Abuse or neglect – physical abuse (child on child)",
    "18C": "Abuse or neglect – physical abuse (adult on child)",
    "19A": "Abuse or neglect – sexual abuse",
    "19B": "Abuse or neglect – sexual abuse (child on child)",
    "19C": "Abuse or neglect – sexual abuse (adult on child)",
    "20": "Other",
    "21": "No factors identified",
    "22A": "Female genital mutilation (FGM)",
    "23A": "Abuse linked to faith or belief",
    "24A": "Child criminal exploitation",
}

# Annex A (Ofsted inspection of local authority children's services), lists 6 and 7: category values.
ANNEX_A_CATEGORY = {
    CPCategory.NEGLECT: "a) Neglect",
    CPCategory.PHYSICAL: "b) Physical abuse",
    CPCategory.SEXUAL: "c) Sexual abuse",
    CPCategory.EMOTIONAL: "d) Emotional abuse",
    CPCategory.MULTIPLE: "e) Multiple",
}


def _code_ranges(*spans):
    return frozenset(f"{number:03d}" for first, last in spans for number in range(first, last + 1))


# Characters 2-4 of a UPN: the local authority that issued it. DfE rule 1530 accepts these (post April
# 1998 LA codes and the pseudo-LA codes, as the DfE's own validator lists them for 2023-24 onwards).
# A child keeps the UPN when moving, so another authority's code is normal; one outside this list is not.
UPN_LA_CODES = _code_ranges(
    (1, 5),
    (201, 213),
    (301, 320),
    (330, 336),
    (340, 344),
    (350, 359),
    (370, 373),
    (380, 384),
    (390, 394),
    (420, 420),
    (660, 681),
    (701, 708),
    (800, 803),
    (805, 808),
    (810, 813),
    (815, 816),
    (820, 823),
    (825, 826),
    (830, 831),
    (835, 841),
    (845, 846),
    (850, 852),
    (855, 857),
    (860, 861),
    (865, 896),
    (908, 909),
    (916, 916),
    (919, 919),
    (921, 921),
    (925, 926),
    (928, 929),
    (931, 931),
    (933, 933),
    (935, 938),
    (940, 943),
)


def choices(codes):
    """Form/model choices "code – label" from one of the code lists above."""
    return [(code, f"{code} – {label}") for code, label in codes.items()]
