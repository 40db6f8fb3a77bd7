"""Security headers that Django does not set by itself."""

from django.conf import settings

CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; "
    "script-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'self'; "
    "form-action 'self'"
)


class ContentSecurityPolicyMiddleware:
    """Adds a Content-Security-Policy and a Permissions-Policy header to every response."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = getattr(settings, "QLIO_CONTENT_SECURITY_POLICY", CSP)

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.policy)
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response
