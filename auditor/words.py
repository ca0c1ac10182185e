"""The audit log in words: who, in what role, did what to which kind of record.

The log stores codes (`role`, `object_type`), which stay stable for searching and for the CSV; the
pages show their names. A record type is named from a list of the types written across the product,
else from the model of that name in the app registry (its verbose name), else from the code itself
with its underscores as spaces, so a type added later still reads as words.
"""

from django.apps import apps

from agencies.models import Role

# Record types that are not models, or whose model name reads badly.
RECORD_TYPES = {
    "api": "API",
    "api_token": "API token",
    "audit_case": "Case audit",
    "audit_log": "Audit log",
    "audit_round": "Case audit round",
    "annex_a": "Annex A return",
    "assessmentrun": "Assessment",
    "assessmentrun_list": "List of assessments",
    "case_grant": "Access granted to a case",
    "child_listed": "Child shown in a list",
    "child_lookup": "Child look-up",
    "child_search": "Child search",
    "child_voice": "Child's voice",
    "cin_census": "Children in need census",
    "cin_census_check": "Children in need census check",
    "cin_census_import": "Children in need census import",
    "cin_census_upload": "Children in need census upload",
    "dashboard": "Neglect dashboard",
    "drift_queue": "Drift and delay queue",
    "front_door_queue": "Front door queue",
    "oidc_provider": "Single sign-on provider",
    "page": "Page",
    "partnership_profile": "Partnership profile",
    "password": "Password",
    "session": "Sign-in session",
    "sharing_decision": "Information-sharing decision",
    "subject_access_request": "Subject access request",
    "tooldefinition": "Assessment tool",
    "two_factor": "Two-factor authentication",
}

SYSTEM = "System (a scheduled or background job)"
NOT_SIGNED_IN = "Not signed in"


def role_name(code):
    """The role's name ("Designated safeguarding lead" for "dsl"); blank stays blank."""
    if not code:
        return ""
    return Role(code).label if code in Role.values else code.replace("_", " ").capitalize()


def record_type_name(code):
    """A record type's name, from the list above, the model of that name, or the code in words."""
    if not code:
        return ""
    if code in RECORD_TYPES:
        return RECORD_TYPES[code]
    if code.endswith("_list"):
        return f"List of {_plural(code[: -len('_list')])}"
    model = _model_named(code)
    if model is not None:
        return str(model._meta.verbose_name).capitalize()
    return code.replace("_", " ").capitalize()


def who(event):
    """The person's username; for a row with nobody, whether it was a job (no request) or someone not signed in."""
    if event.username:
        return event.username
    return NOT_SIGNED_IN if event.path else SYSTEM


def _plural(code):
    if code in RECORD_TYPES:
        return RECORD_TYPES[code].lower() + "s"
    model = _model_named(code)
    return str(model._meta.verbose_name_plural) if model is not None else code.replace("_", " ") + "s"


def _model_named(code):
    name = code.replace("_", "")
    for model in apps.get_models():
        if model._meta.model_name == name:
            return model
    return None
