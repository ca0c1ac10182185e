"""The error pages: GOV.UK-style 403, 404 and 500 pages in every mode.

The 403 page says why, when the refusal came with a reason meant for the person refused.

`agencies.access.Refused` (a PermissionDenied with a `reason`) carries a sentence such as "Only the
lead agency's managers ... oversee this case"; any other PermissionDenied keeps the generic text.
Read by duck typing (`reason`), so this module imports no app (tests/neglect_portal/test_layers.py).
"""

from django.conf import settings
from django.http import HttpResponseForbidden
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

# Django's own debug pages (page not found, server error) say this; ours never do.
DJANGO_DEBUG_PAGE_MARK = b"DEBUG = True</code>"


@requires_csrf_token
def permission_denied(request, exception):
    reason = getattr(exception, "reason", "")
    return HttpResponseForbidden(loader.render_to_string("403.html", {"reason": reason}, request=request))


class DebugErrorPagesMiddleware:
    """With DEBUG on, the portal's own 404 and 500 pages instead of Django's debug pages, unless asked for.

    Django shows its yellow debug page for a missing or refused record (a 404, listing every URL of
    the portal) and for a server error whenever DEBUG is on, which is how the demo runs: people
    trying the demo saw it where a user would see "Page not found" (issue 20, item 3). Django has no
    setting for this: its debug pages are made inside the handler, so this middleware, outermost,
    swaps a debug page for ours, keeping the status. `DEBUG_ERROR_PAGES=true` keeps Django's pages
    for a developer who wants the traceback. With DEBUG off Django already renders 404.html and
    500.html, so this does nothing.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not settings.DEBUG or settings.DEBUG_ERROR_PAGES or response.status_code not in (404, 500) or response.streaming:
            return response
        if DJANGO_DEBUG_PAGE_MARK not in response.content:
            return response
        template = "404.html" if response.status_code == 404 else "500.html"
        response.content = loader.render_to_string(template, request=request if template == "404.html" else None)
        if response.has_header("Content-Length"):
            response["Content-Length"] = str(len(response.content))
        return response
