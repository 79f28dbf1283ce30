"""Session authentication as a Django >= 4 deployment does it (the Debian Django here is 3.2).

Django 4 added an Origin check to CSRF: when an unsafe request carries an Origin header, it must
be the site's own origin or one of CSRF_TRUSTED_ORIGINS. Django 3.2 only checks the Referer on
HTTPS, so the check is added here to reproduce backends.md §2 ("on Django >= 4, an Origin matching
the site").
"""
from django.conf import settings
from rest_framework import exceptions
from rest_framework.authentication import SessionAuthentication


def origin_verified(request):
    origin = request.META["HTTP_ORIGIN"]
    own = "%s://%s" % ("https" if request.is_secure() else "http", request.get_host())
    return origin == own or origin in settings.CSRF_TRUSTED_ORIGINS


class SessionAuthenticationWithOrigin(SessionAuthentication):
    def enforce_csrf(self, request):
        super().enforce_csrf(request)
        if "HTTP_ORIGIN" in request.META and not origin_verified(request):
            raise exceptions.PermissionDenied(
                "CSRF Failed: Origin checking failed - %s does not match any trusted origins."
                % request.META["HTTP_ORIGIN"]
            )
