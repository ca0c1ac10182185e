"""Response headers Django 5.2 does not set itself."""

from django.conf import settings


class SecurityHeadersMiddleware:
    """Content-Security-Policy without inline script, Permissions-Policy, and no caching of pages
    that show records (a shared computer's back button must not bring a child's record back)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.csp = "; ".join(f"{directive} {' '.join(sources)}" for directive, sources in settings.CONTENT_SECURITY_POLICY.items())

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.csp)
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
        if request.user.is_authenticated and not request.path.startswith(settings.STATIC_URL):
            response.headers.setdefault("Cache-Control", "no-store")
        return response
