"""System checks for the snapshot job's timing: visibility timeout > hard time limit, claim expiry between them.

Redis redelivers a message that is not acknowledged within the visibility timeout. With acks_late,
a job still running past that timeout would be handed to a second worker; the claim stops a second
computation, but the work is wasted and the first job may then fail to store. The claim expiry must
be longer than the hard time limit (a live job's claim is never taken over) and shorter than the
visibility timeout (the job redelivered after a worker died can take over the dead worker's claim).
"""

from django.conf import settings
from django.core.checks import Tags, Warning, register


def _longest_job():
    """The hard time limit of the longest job: the global one or the snapshot task's own, whichever is longer."""
    from .tasks import dashboard_snapshot_compute

    return max(filter(None, (getattr(settings, "CELERY_TASK_TIME_LIMIT", None), dashboard_snapshot_compute.time_limit)), default=0)


@register(Tags.compatibility)
def check_job_timing(app_configs=None, **kwargs):
    longest = _longest_job()
    visibility = (getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {}) or {}).get("visibility_timeout", 3600)
    expiry = getattr(settings, "DASHBOARD_CLAIM_EXPIRY_SECONDS", 900)
    problems = []
    if visibility <= longest:
        problems.append(
            Warning(
                f"CELERY_VISIBILITY_TIMEOUT ({visibility} s) is not above the longest job's hard time limit ({longest} s).",
                hint="Redis would hand a job that is still running to a second worker. Raise CELERY_VISIBILITY_TIMEOUT above the time limit.",
                id="dashboard.W001",
            )
        )
    if expiry <= longest:
        problems.append(
            Warning(
                f"DASHBOARD_CLAIM_EXPIRY_SECONDS ({expiry} s) is not above the snapshot job's hard time limit ({longest} s).",
                hint="A snapshot still being computed could be taken over by a second delivery. Raise DASHBOARD_CLAIM_EXPIRY_SECONDS.",
                id="dashboard.W002",
            )
        )
    if expiry >= visibility:
        problems.append(
            Warning(
                f"DASHBOARD_CLAIM_EXPIRY_SECONDS ({expiry} s) is not below CELERY_VISIBILITY_TIMEOUT ({visibility} s).",
                hint="After a worker dies, the redelivered snapshot job would find the claim still fresh and stop; the snapshot stays 'running' until someone recomputes it.",
                id="dashboard.W003",
            )
        )
    return problems
