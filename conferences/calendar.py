"""The iCalendar file (RFC 5545) sent with a conference invitation, written by hand.

One VEVENT per invitation. It names no one: the summary is the kind of conference and its
reference (`Conference.reference`), never a child. Lines end in CRLF and are folded at 75 octets;
text values escape backslashes, semicolons, commas and new lines. Times are in UTC (a trailing
"Z"), worked out from the conference's local date and start time.
"""

from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone

CRLF = "\r\n"


def conference_minutes():
    return getattr(settings, "CONFERENCE_DURATION_MINUTES", 90)


def escape_text(value: str) -> str:
    """An iCalendar TEXT value: backslash, semicolon and comma escaped; new lines as \\n."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


def fold(line: str) -> str:
    """Fold a content line into pieces of at most 75 octets, each continuation starting with a space."""
    encoded = line.encode("utf-8")
    if len(encoded) <= 75:
        return line
    pieces, current, limit = [], b"", 75
    for char in line:
        size = len(char.encode("utf-8"))
        if len(current) + size > limit:
            pieces.append(current.decode("utf-8"))
            current, limit = b"", 74  # continuation lines begin with one space
        current += char.encode("utf-8")
    pieces.append(current.decode("utf-8"))
    return (CRLF + " ").join(pieces)


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def conference_start(conference) -> datetime:
    """The conference's start as an aware datetime in the project's time zone."""
    return timezone.make_aware(datetime.combine(conference.held_on, conference.start_time), timezone.get_default_timezone())


def _host():
    return urlsplit(settings.SITE_URL).hostname or "neglect-portal.invalid"


def invitation_ics(*, invitation, link: str, now: datetime | None = None) -> str:
    """The calendar file for one invitation: UID stable per invitation, so a resend updates the same event."""
    conference = invitation.conference
    start = conference_start(conference)
    end = start + timedelta(minutes=conference_minutes())
    summary = f"{conference.get_kind_display()}, reference {conference.reference}"
    location = conference.location or conference.get_format_display()
    description = [f"{summary}.", f"Format: {conference.get_format_display()}."]
    if invitation.report_requested:
        description.append(f"Your agency's report is due by {conference.report_due_on:%-d %B %Y}.")
    description.append(f"Details (sign in): {link}")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Neglect Portal//Conference invitations//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:conference-{conference.pk}-invitation-{invitation.pk}@{_host()}",
        f"DTSTAMP:{_utc(now or timezone.now())}",
        f"DTSTART:{_utc(start)}",
        f"DTEND:{_utc(end)}",
        f"SUMMARY:{escape_text(summary)}",
        f"LOCATION:{escape_text(location)}",
        f"DESCRIPTION:{escape_text(chr(10).join(description))}",
        f"URL:{link}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "".join(fold(line) + CRLF for line in lines)
