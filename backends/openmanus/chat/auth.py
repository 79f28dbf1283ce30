"""Clerk-style authentication: `Authorization: Bearer <RS256 JWT>` checked against a JWKS fetched
over HTTP (issuer, audience, expiry), or Django's `sessionid` cookie (DRF SessionAuthentication,
CSRF included). A Clerk user id (`sub`) maps to a Django user of that username, created on first use.
"""
import threading

import jwt
from django.conf import settings
from django.contrib.auth import get_user_model
from rest_framework import authentication, exceptions


class TokenError(Exception):
    pass


class ClerkVerifier:
    """Verifies tokens against the JWKS at settings.OPENMANUS_JWKS_URL (read at first use, because
    `manage.py serve` only knows the JWKS port once its server listens)."""

    def __init__(self):
        self._client = None
        self._url = None
        self._lock = threading.Lock()

    def _jwks(self):
        url = settings.OPENMANUS_JWKS_URL
        if not url:
            raise TokenError("no JWKS configured")
        with self._lock:
            if self._client is None or self._url != url:
                self._client = jwt.PyJWKClient(url, cache_jwk_set=True, lifespan=300)
                self._url = url
            return self._client

    def verify(self, token: str) -> dict:
        try:
            key = self._jwks().get_signing_key_from_jwt(token).key
            return jwt.decode(
                token,
                key,
                algorithms=["RS256"],
                audience=settings.OPENMANUS_JWT_AUDIENCE,
                issuer=settings.OPENMANUS_JWT_ISSUER,
                options={"require": ["exp", "iat", "sub", "iss"]},
            )
        except jwt.PyJWKClientError as e:
            raise TokenError(f"signing key: {e}") from e
        except jwt.InvalidTokenError as e:
            raise TokenError(str(e)) from e

    def user_for(self, token: str):
        claims = self.verify(token)
        user, _ = get_user_model().objects.get_or_create(username=claims["sub"][:150])
        return user, claims


def verifier():
    from django.apps import apps

    return apps.get_app_config("chat").verifier


class ClerkJWTAuthentication(authentication.BaseAuthentication):
    """No Authorization header: not this scheme (the session cookie may still authenticate).
    A Bearer header that does not verify is a 401, never a fallback to the cookie."""

    def authenticate(self, request):
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if not header:
            return None
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise exceptions.AuthenticationFailed("Invalid authorization header")
        try:
            user, claims = verifier().user_for(token.strip())
        except TokenError as e:
            raise exceptions.AuthenticationFailed(f"Invalid token: {e}") from e
        return user, claims

    def authenticate_header(self, request):
        return 'Bearer realm="api"'
