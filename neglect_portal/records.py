"""What every app's recorded-once records raise when code tries to change them."""


class ImmutableRecordError(Exception):
    """Raised when code tries to change a record that is kept exactly as it was first written."""
