"""One way to run a report job (dashboard snapshot, subject access export, retention deletion) once.

Each job's row is claimed with a conditional UPDATE that must change exactly one row, so a second
delivery of the same message (acks_late redelivers after a worker dies) finds it done or running
and stops. A transient error (the database or the file system hiccuped) gives the claim back and
retries with backoff, a bounded number of times; any other error, a soft time limit included, is
recorded on the row for a person to read and the job ends.
"""

from django.db import OperationalError

TRANSIENT = (OperationalError, OSError)


def run_claimed(task, *, claim, work, release, fail, not_claimed="not queued"):
    """Run `work()` under the claim; `task` is the bound Celery task (for its retries).

    `claim()` returns True when this delivery took the job; `release()` hands it back before a
    retry; `fail(reason)` records why it stopped. Returns "done", "failed" or `not_claimed`.
    """
    if not claim():
        return not_claimed
    try:
        work()
    except TRANSIENT as error:
        release()
        if task.request.retries >= task.max_retries:
            fail(f"Gave up after {task.max_retries} retries: {error}")
            return "failed"
        raise task.retry(exc=error, countdown=min(600, 30 * 2**task.request.retries)) from error
    except Exception as error:  # noqa: BLE001 - recorded for people to read, then the job ends
        fail(f"{type(error).__name__}: {error}")
        return "failed"
    return "done"
