"""Department systems: OAuth2 client credentials, signed short-lived tokens, rotation and
revocation, and an external OpenID Connect issuer."""

from __future__ import annotations

import json
import time
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import ec
from fastapi.testclient import TestClient

from harness.households import SECRET
from services.api.app import create_app
from services.auth.tokens import TokenIssuer, parse_keys
from services.secrets import new_secret
from services.settings import Settings
from tests.support.signed_in import FAST, SignedIn

FORM = "application/x-www-form-urlencoded"


def a_client(client: TestClient, client_id: str = "hrss-system", **kw: Any) -> str:
    answer = client.post(
        "/v1/admin/clients",
        json={"client_id": client_id, "department": "hrss", "sources": ["/330106/hrss"], **kw},
    )
    assert answer.status_code == 201, answer.text
    return str(answer.json()["client_secret"])


def token_of(http: TestClient, client_id: str, secret: str) -> str:
    answer = http.post(
        "/v1/oauth/token",
        data={"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret},
    )
    assert answer.status_code == 200, answer.text
    return str(answer.json()["access_token"])


def me(http: TestClient, token: str) -> Any:
    return http.get("/v1/me", headers={"authorization": f"Bearer {token}"})


def test_a_client_gets_a_short_lived_signed_token_by_basic_or_form(
    client: TestClient, anonymous: TestClient
) -> None:
    secret = a_client(client)
    by_basic = anonymous.post(
        "/v1/oauth/token", data={"grant_type": "client_credentials"}, auth=("hrss-system", secret)
    )
    body = by_basic.json()
    assert by_basic.status_code == 200 and by_basic.headers["cache-control"] == "no-store"
    assert body["token_type"] == "Bearer" and 60 <= body["expires_in"] <= 900
    header = jwt.get_unverified_header(body["access_token"])
    assert header["alg"] == "EdDSA" and header["kid"]
    assert header["kid"] in {
        k["kid"] for k in anonymous.get("/.well-known/jwks.json").json()["keys"]
    }
    principal = me(anonymous, token_of(anonymous, "hrss-system", secret)).json()
    assert principal["role"] == "publisher" and principal["actor"] == "hrss"
    assert principal["sources"] == ["/330106/hrss"]


def test_the_token_endpoint_answers_in_rfc_6749_error_shapes(
    client: TestClient, anonymous: TestClient
) -> None:
    secret = a_client(client)
    grant = anonymous.post("/v1/oauth/token", data={"grant_type": "password"})
    assert grant.status_code == 400 and grant.json()["error"] == "unsupported_grant_type"
    wrong = anonymous.post(
        "/v1/oauth/token", data={"grant_type": "client_credentials"}, auth=("hrss-system", "x")
    )
    assert wrong.status_code == 401 and wrong.json()["error"] == "invalid_client"
    assert wrong.headers["www-authenticate"].startswith("Basic")
    unknown = anonymous.post(
        "/v1/oauth/token",
        data={"grant_type": "client_credentials", "client_id": "nobody", "client_secret": secret},
    )
    assert unknown.status_code == 401 and unknown.json()["error"] == "invalid_client"
    json_body = anonymous.post("/v1/oauth/token", json={"grant_type": "client_credentials"})
    assert json_body.status_code == 400 and json_body.json()["error"] == "invalid_request"


def test_an_expired_or_forged_token_is_refused_with_a_bearer_challenge(
    client: TestClient, anonymous: TestClient
) -> None:
    a_client(client)
    keys = parse_keys(client.app.state.auth.settings.token_signing_keys)  # type: ignore[attr-defined]
    row = client.app.state.auth.store.client("hrss-system")  # type: ignore[attr-defined]
    expired, _ = TokenIssuer(keys, lifetime=-120).issue(row)
    answer = me(anonymous, expired)
    assert answer.status_code == 401
    assert answer.headers["www-authenticate"] == 'Bearer realm="zhulian", error="invalid_token"'
    forged, _ = TokenIssuer(parse_keys("embedded=" + new_secret())).issue(row)
    assert me(anonymous, forged).status_code == 401


def test_revoking_or_rotating_a_client_stops_its_tokens_at_once(
    client: TestClient, anonymous: TestClient
) -> None:
    token = token_of(anonymous, "hrss-system", a_client(client))
    assert me(anonymous, token).status_code == 200
    rotated = client.post("/v1/admin/clients/hrss-system/rotate").json()["secret"]
    assert me(anonymous, token).status_code == 401
    fresh = token_of(anonymous, "hrss-system", rotated)
    assert me(anonymous, fresh).status_code == 200
    assert client.post("/v1/admin/clients/hrss-system/revoke").status_code == 200
    assert me(anonymous, fresh).status_code == 401
    refused = anonymous.post(
        "/v1/oauth/token", data={"grant_type": "client_credentials"}, auth=("hrss-system", rotated)
    )
    assert refused.status_code == 401
    kinds = [
        e["kind"] for e in client.get("/v1/admin/credential-events?credential=hrss-system").json()
    ]
    assert kinds[:3] == ["login_failed", "revoked", "rotated"] and kinds[-1] == "created"


def test_secrets_are_shown_once_and_stored_only_as_argon2id_hashes(client: TestClient) -> None:
    secret = a_client(client)
    listed = client.get("/v1/admin/clients").json()
    assert secret not in json.dumps(listed)
    assert all("secret_hash" not in row for row in listed)
    stored = client.app.state.auth.store.client("hrss-system")  # type: ignore[attr-defined]
    assert stored["secret_hash"].startswith("$argon2id$") and secret not in stored["secret_hash"]


def _app(tmp_path, keys: str, **kw: Any) -> SignedIn:
    settings = Settings(
        data_dir=tmp_path, demo=False, household_secret=SECRET, token_signing_keys=keys,
        **{**FAST, **kw},
    )  # fmt: skip
    return SignedIn(create_app(settings))


def test_a_rotated_signing_key_still_verifies_until_it_is_retired(tmp_path) -> None:
    old, new = "old=" + new_secret(), "new=" + new_secret()
    with _app(tmp_path, old) as first:
        secret = a_client(first)
        before = token_of(first, "hrss-system", secret)
    with _app(tmp_path, f"{new},{old}") as second:
        assert me(second, before).status_code == 200  # the old kid still verifies
        after = token_of(second, "hrss-system", secret)
        assert jwt.get_unverified_header(after)["kid"] == "new"
        kids = [k["kid"] for k in second.get("/.well-known/jwks.json").json()["keys"]]
        assert kids == ["new", "old"]
    with _app(tmp_path, new) as third:
        assert me(third, before).status_code == 401  # retired
        assert me(third, after).status_code == 200


def test_tokens_of_a_configured_oidc_issuer_map_to_a_principal(tmp_path) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    jwk = json.loads(jwt.algorithms.ECAlgorithm.to_jwk(key.public_key()))
    jwks_file = tmp_path / "jwks.json"
    jwks_file.write_text(json.dumps({"keys": [{**jwk, "kid": "idp-1", "use": "sig"}]}))
    issuer = "https://idp.example/realms/alliance"

    def id_token(**claims: Any) -> str:
        now = int(time.time())
        body = {"iss": issuer, "aud": "zhulian", "sub": "u-42", "iat": now, "exp": now + 300}
        return jwt.encode({**body, **claims}, key, algorithm="ES256", headers={"kid": "idp-1"})

    with _app(
        tmp_path, "k=" + new_secret(), oidc_issuer=issuer, oidc_jwks=str(jwks_file),
        oidc_audience="zhulian", oidc_role_claim="roles", oidc_region_claim="region",
    ) as client:  # fmt: skip
        token = id_token(roles="coordinator", region="330106002")
        principal = me(client, token).json()
        assert principal["role"] == "coordinator" and principal["region"] == "330106002"
        assert principal["subject"] == f"{issuer}#u-42"
        assert me(client, id_token(aud="someone-else", roles="auditor")).status_code == 401
        assert me(client, id_token(roles="root")).status_code == 401
        assert me(client, id_token(roles="auditor", exp=int(time.time()) - 60)).status_code == 401


def test_writes_are_limited_per_credential_with_retry_after(tmp_path) -> None:
    with _app(tmp_path, "k=" + new_secret(), write_burst=2, write_rate=0.01) as client:
        token = token_of(client, "hrss-system", a_client(client))
        answers = [
            client.post("/v1/transparency/heads", headers={"authorization": f"Bearer {token}"})
            for _ in range(3)
        ]
        assert [a.status_code for a in answers][2] == 429
        assert int(answers[2].headers["retry-after"]) >= 1
