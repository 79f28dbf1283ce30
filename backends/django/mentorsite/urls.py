from django.conf.urls.i18n import i18n_patterns
from django.http import JsonResponse
from django.urls import include, path


def health(_request):
    return JsonResponse({"ok": True})


# Everything under a language prefix, the default language included (/en/...): an unprefixed path
# answers 302 to the prefixed one (LocaleMiddleware), a missing trailing slash 301 (CommonMiddleware).
urlpatterns = i18n_patterns(
    path("api/v1/auth/", include("accounts.urls")),
    path("api/v1/chat/", include("chat.urls")),
    path("api/v1/challenges/", include("challenges.urls")),
    path("health/", health),
    prefix_default_language=True,
)
