"""Optimistic concurrency: the one error every versioned edit raises when someone else saved first.

Records edited by people (a case, a plan, a plan action, an action plan row, the partnership
profile) carry a `version` that goes up by one with every change; a service writes with one
conditional UPDATE on the version the editor read, and when that changes no row it raises
`EditConflict` and writes nothing, so nobody's change is silently lost. Pages show the form again
with the user's text kept, the record as it is now and the new version (a second save is a
deliberate choice); the API answers 409 Conflict through the exception handler
(neglect_portal/api.py) with `detail`, `current_version` and, where the view supplies it, the
record as it is now (`current`).
"""

CONFLICT = "Someone else changed this record while you were editing it. Their changes are shown; your text is kept below \u2013 check and save again."


class EditConflict(Exception):
    """An edit was based on a version of the record that someone else has changed since; nothing was saved.

    `current_version` is the record's version now (the form's next version); `current`, when a view
    sets it, is the record as it is now in the API's representation.
    """

    def __init__(self, message: str = CONFLICT, *, current_version: int | None = None):
        super().__init__(message)
        self.message = message
        self.current_version = current_version
        self.current = None
