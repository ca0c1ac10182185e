"""What every app's recorded-once records raise when code tries to change them."""


class ImmutableRecordError(Exception):
    """Raised when code tries to change a record that is kept exactly as it was first written."""


def save_valid(instance):
    """Check every field and constraint (`full_clean`), then save: what a service writes is always valid."""
    instance.full_clean()
    instance.save()
    return instance
