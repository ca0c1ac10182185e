"""The one way the portal reads an uploaded file: its size is checked before reading, and reading stops at the limit.

Django keeps an upload in memory up to `FILE_UPLOAD_MAX_MEMORY_SIZE` and streams anything larger to
a temporary file, so receiving a large file costs disk, not memory. Reading it with `upload.read()`
would then load all of it into the web process before a size check could refuse it (issue 22,
finding 7: a 196 MB chronology import grew the process by about 200 MB). `read_upload` refuses by
the size the upload handler counted, before reading a byte, and then reads in bounded chunks,
stopping as soon as the total passes the limit, so even a file whose size was misreported costs at
most the limit plus one chunk.

Every form that takes a file (the chronology CSV import, the CIN census return, the partnership's
logo, an assessment-tool definition) reads it here, with its own limit; the refusal names the limit
and shows on the form's field.
"""

from django.core.exceptions import ValidationError

CHUNK_BYTES = 64 * 1024


class UploadTooLarge(ValidationError):
    """The upload is over its limit; the message names the limit (a form shows it on the file field)."""

    def __init__(self, *, limit: int, size: int | None = None, what: str = "The file"):
        message = f"{what} must be {size_words(limit)} or smaller"
        if size is not None and size > limit:
            message += f"; this file is {size_words(size, like=limit)}"
        super().__init__(message + ".", code="too_large")
        self.limit = limit


def _unit(size):
    """Limits are set as round numbers in decimal (2,000,000 bytes) or binary (256 x 1,024) units; either reads as written."""
    for unit, factor in (("MB", 1_000_000), ("KB", 1_000)):
        if size >= factor and size % factor == 0 and size % 1024:
            return unit, factor
    for unit, factor in (("MB", 1024 * 1024), ("KB", 1024)):
        if size >= factor:
            return unit, factor
    return "bytes", 1


def size_words(size: int, *, like: int | None = None) -> str:
    """A size as people read it (2 MB, 256 KB, 2.1 MB, 900 bytes), in the units of `like` when given.

    Rounded up to a tenth, so a file over a limit never reads as within it.
    """
    unit, factor = _unit(size if like is None else like)
    if factor == 1:
        return f"{size} bytes"
    tenths = -(-size * 10 // factor)
    return f"{tenths // 10} {unit}" if tenths % 10 == 0 else f"{tenths / 10:.1f} {unit}"


def read_upload(upload, *, limit: int, what: str = "The file", chunk_size: int = CHUNK_BYTES) -> bytes:
    """The bytes of `upload` (a Django `UploadedFile` or any binary file object), or `UploadTooLarge`.

    `upload.size` (counted by Django as the file arrived) is checked first, so an oversized file is
    never read; then the file is read `chunk_size` bytes at a time and refused as soon as the total
    passes `limit`.
    """
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise UploadTooLarge(limit=limit, size=size, what=what)
    if hasattr(upload, "seek"):
        upload.seek(0)
    parts, total = [], 0
    while chunk := upload.read(chunk_size):
        total += len(chunk)
        if total > limit:
            raise UploadTooLarge(limit=limit, what=what)
        parts.append(chunk)
    return b"".join(parts)
