"""The one upload reader: refused by size before reading, and never more than the limit plus one chunk read."""

import io

import pytest
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from neglect_portal.uploads import CHUNK_BYTES, UploadTooLarge, read_upload, size_words


class CountingFile(io.RawIOBase):
    """`length` bytes of "a", counting every byte handed out by read()."""

    def __init__(self, length):
        self.length, self.position, self.bytes_read = length, 0, 0

    def readable(self):
        return True

    def seekable(self):
        return True

    def seek(self, offset, whence=0):
        self.position = offset
        return offset

    def read(self, size=-1):
        left = self.length - self.position
        count = left if size is None or size < 0 else min(size, left)
        self.position += count
        self.bytes_read += count
        return b"a" * count


def counting_upload(length, *, claimed_size=None):
    """An UploadedFile over a CountingFile; `claimed_size` is what the upload handler says its size is."""
    raw = CountingFile(length)
    return UploadedFile(file=raw, name="x.csv", content_type="text/csv", size=length if claimed_size is None else claimed_size), raw


def test_an_upload_over_the_limit_is_refused_by_its_size_before_a_byte_is_read():
    upload, raw = counting_upload(200 * 1024 * 1024)
    with pytest.raises(UploadTooLarge) as error:
        read_upload(upload, limit=2_000_000)
    assert raw.bytes_read == 0
    assert error.value.messages == ["The file must be 2 MB or smaller; this file is 209.8 MB."]


def test_an_upload_whose_size_is_misreported_stops_after_the_limit_and_one_chunk():
    upload, raw = counting_upload(50 * 1024 * 1024, claimed_size=10)
    with pytest.raises(UploadTooLarge) as error:
        read_upload(upload, limit=100_000)
    assert raw.bytes_read <= 100_000 + CHUNK_BYTES
    assert error.value.messages == ["The file must be 100 KB or smaller."]


def test_an_upload_without_a_size_is_read_in_chunks_and_refused_at_the_limit():
    raw = CountingFile(10 * 1024 * 1024)
    with pytest.raises(UploadTooLarge):
        read_upload(raw, limit=300_000, chunk_size=1000)
    assert 300_000 < raw.bytes_read <= 301_000


def test_an_upload_within_the_limit_is_read_whole():
    upload, raw = counting_upload(2_000_000)
    assert read_upload(upload, limit=2_000_000) == b"a" * 2_000_000 and raw.bytes_read == 2_000_000


def test_the_refusal_names_what_and_the_limit():
    with pytest.raises(UploadTooLarge) as error:
        read_upload(io.BytesIO(b"x" * 300_000), limit=256 * 1024, what="The logo")
    assert error.value.messages == ["The logo must be 256 KB or smaller."]


@pytest.mark.parametrize(
    ("size", "like", "words"),
    [
        (2_000_000, None, "2 MB"),
        (20 * 1024 * 1024, None, "20 MB"),
        (256 * 1024, None, "256 KB"),
        (900, None, "900 bytes"),
        (2_000_001, 2_000_000, "2.1 MB"),  # rounded up: a file over a limit never reads as within it
    ],
)
def test_sizes_read_as_people_write_them(size, like, words):
    assert size_words(size, like=like) == words


def test_django_spools_large_files_to_disk_and_caps_other_bodies():
    """Above FILE_UPLOAD_MAX_MEMORY_SIZE a file goes to a temporary file, not memory; form bodies have a cap
    that still lets the chronology import's confirm step carry a 2 MB file URL-encoded."""
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE <= 1024 * 1024
    assert 3 * 2_000_000 < settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= 10 * 1024 * 1024
