"""Test settings: the environment's settings with a fast password hasher and eager-safe defaults.

DATABASE_URL and CELERY_BROKER_URL still come from the environment (bin/test points them at the
local PostgreSQL and Redis).
"""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production-use-0123456789")

from .settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
SECURE_SSL_REDIRECT = False
# Tests enqueue through transaction.on_commit and run tasks in-process unless a test starts a worker.
# The broker and result backend point at the test Redis so that the worker test can switch eager off.
CELERY_TASK_ALWAYS_EAGER = True


# Under pytest-xdist (bin/test runs the suite on every core) worker gwN takes the Nth Redis database
# below CELERY_TEST_BROKER_URL's, so two workers' real Celery workers never take each other's tasks. The
# shifted URL is written back to the environment, marked as this worker's, for the worker subprocesses
# some tests start (they import these settings again and must not shift it twice).
_xdist_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
os.environ.setdefault("CELERY_TEST_BROKER_URL", "redis://127.0.0.1:6379/15")
if _xdist_worker.startswith("gw") and os.environ.get("NEGLECT_TEST_BROKER_OF") != _xdist_worker:
    _base, _, _number = os.environ["CELERY_TEST_BROKER_URL"].rpartition("/")
    os.environ["CELERY_TEST_BROKER_URL"] = f"{_base}/{(int(_number or 0) - int(_xdist_worker[2:])) % 16}"
    os.environ["NEGLECT_TEST_BROKER_OF"] = _xdist_worker
CELERY_BROKER_URL = os.environ["CELERY_TEST_BROKER_URL"]
CELERY_RESULT_BACKEND = CELERY_BROKER_URL
# Throttles stay on, at rates the suite and schemathesis never reach (tests/security lowers them).
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] = {"token": "1000/minute", "anon": "100000/minute", "user": "100000/minute"}  # noqa: F405
# Serve static files from the finders (no collectstatic in tests).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# The live server (tests/security/test_schemathesis.py) answers each request in its own thread: close
# its connection at the end of the request, or the test database cannot be dropped afterwards.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
