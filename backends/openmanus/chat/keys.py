"""The Clerk stand-in's signing key: an RSA key kept in the data directory, its JWKS, and minting.

The backend itself only ever verifies (against the JWKS over HTTP, like a Clerk deployment);
minting is for the demo banner and for tests (`manage.py mint_token`).
"""
import base64
import hashlib
import time
import uuid
from pathlib import Path

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa


def _b64(n: int) -> str:
    raw = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


class SigningKey:
    def __init__(self, private_key):
        self.private_key = private_key
        numbers = private_key.public_key().public_numbers()
        self.public_jwk = {"kty": "RSA", "use": "sig", "alg": "RS256", "n": _b64(numbers.n), "e": _b64(numbers.e)}
        thumb = f'{{"e":"{self.public_jwk["e"]}","kty":"RSA","n":"{self.public_jwk["n"]}"}}'
        self.kid = "ins_" + base64.urlsafe_b64encode(hashlib.sha256(thumb.encode()).digest()[:12]).decode()
        self.public_jwk["kid"] = self.kid

    @classmethod
    def load_or_create(cls, key_dir: Path) -> "SigningKey":
        path = Path(key_dir) / "clerk-private.pem"
        if path.exists():
            return cls(serialization.load_pem_private_key(path.read_bytes(), password=None))
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(
            key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
        )
        tmp.chmod(0o600)
        tmp.replace(path)
        return cls(key)

    def jwks(self) -> dict:
        return {"keys": [self.public_jwk]}

    def mint(self, *, sub: str, issuer: str, audience: str, ttl: int, now: float | None = None, extra=None) -> str:
        iat = int(now if now is not None else time.time())
        claims = {
            "sub": sub,
            "iss": issuer,
            "aud": audience,
            "azp": "http://127.0.0.1",
            "iat": iat,
            "nbf": iat - 5,
            "exp": iat + ttl,
            "jti": uuid.uuid4().hex,
            "sid": "sess_" + uuid.uuid4().hex[:24],
            **(extra or {}),
        }
        return jwt.encode(claims, self.private_key, algorithm="RS256", headers={"kid": self.kid})
