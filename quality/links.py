"""The family feedback link's token: random, signed, and kept only as a hash.

A token is 32 random bytes (`secrets.token_urlsafe`), so nothing about it can be guessed; the link
carries it signed with the site's secret key (`django.core.signing`, its own salt), so a made-up link
is turned away before the database is asked; the database keeps only its SHA-256, so a copy of the
database gives no working link (as API tokens, agencies/tokens.py). Whether a link still works (sent,
unused, in date) is the access layer's answer (`agencies.access.access_feedback_link`).
"""

import hashlib
import secrets

from django.core import signing

SALT = "quality.family-feedback-link"


def token_new():
    """(the value for the link, the hash to store) for a new link."""
    raw = secrets.token_urlsafe(32)
    return signing.Signer(salt=SALT).sign(raw), token_hash(raw)


def token_hash(raw):
    return hashlib.sha256(raw.encode()).hexdigest()


def hash_of_link_token(value):
    """The stored hash a link's token stands for, or None when its signature is not ours (a guessed or altered link)."""
    try:
        raw = signing.Signer(salt=SALT).unsign(value or "")
    except signing.BadSignature:
        return None
    return token_hash(raw)
