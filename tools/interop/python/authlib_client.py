"""Authlib as a machine client (interop fixture for apps/interop-e2e): client credentials,
introspection and revocation with Authlib's defaults (client_secret_basic). Prints one JSON
object with what Authlib returned at each step.

usage: authlib_client.py ISSUER CLIENT_ID CLIENT_SECRET SCOPE RESOURCE [--revoke]
"""
import json
import sys

import requests
from authlib.integrations.requests_client import OAuth2Session

issuer, client_id, client_secret, scope, resource = sys.argv[1:6]
metadata = requests.get(f"{issuer}/.well-known/openid-configuration", timeout=10).json()

client = OAuth2Session(client_id, client_secret, scope=scope)
token = client.fetch_token(metadata["token_endpoint"], grant_type="client_credentials", resource=resource)


def introspect():
    answer = client.introspect_token(metadata["introspection_endpoint"], token=token["access_token"])
    return {"status": answer.status_code, "body": answer.json()}


out = {
    "token": {k: token.get(k) for k in ("token_type", "scope", "expires_in")},
    "access_token": token["access_token"],
    "introspection": introspect(),
}
if "--revoke" in sys.argv[6:]:
    revoked = client.revoke_token(metadata["revocation_endpoint"], token=token["access_token"])
    out["revocation"] = {"status": revoked.status_code, "body": revoked.text}
    out["introspection_after_revocation"] = introspect()
print(json.dumps(out))
