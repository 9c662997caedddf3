"""PyJWT's PyJWKClient as an API gateway would use it (interop fixture for apps/interop-e2e):
fetch the signing key by kid from the issuer's JWKS and verify the access token. Prints one JSON
object: the verified claims and header, or the error PyJWT raised.

usage: pyjwt_verify.py JWKS_URI ISSUER AUDIENCE ALGORITHMS(comma-separated) < token
"""
import json
import sys

import jwt

jwks_uri, issuer, audience, algorithms = sys.argv[1:5]
token = sys.stdin.read().strip()
jwks = jwt.PyJWKClient(jwks_uri)
try:
    key = jwks.get_signing_key_from_jwt(token)
    claims = jwt.decode(token, key.key, algorithms=algorithms.split(","), audience=audience, issuer=issuer)
    print(json.dumps({"ok": True, "header": jwt.get_unverified_header(token), "claims": claims}))
except jwt.PyJWTError as error:
    print(json.dumps({"ok": False, "error": type(error).__name__, "message": str(error)}))
