"""The 403 page: says why, when the refusal came with a reason meant for the person refused.

`agencies.access.Refused` (a PermissionDenied with a `reason`) carries a sentence such as "Only the
lead agency's managers ... oversee this case"; any other PermissionDenied keeps the generic text.
Read by duck typing (`reason`), so this module imports no app (tests/neglect_portal/test_layers.py).
"""

from django.http import HttpResponseForbidden
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token


@requires_csrf_token
def permission_denied(request, exception):
    reason = getattr(exception, "reason", "")
    return HttpResponseForbidden(loader.render_to_string("403.html", {"reason": reason}, request=request))
