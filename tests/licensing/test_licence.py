"""Every way a licence is refused, each with the reason in its message."""

from __future__ import annotations

import base64
import json
import os
from datetime import datetime, timedelta, timezone

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric.rsa import generate_private_key

from airgap.platform.licensing import token as lic
from airgap.platform.licensing.token import LicenceError, Quota

NOW = datetime.now(timezone.utc)


@pytest.fixture(scope="module")
def key():
    return lic.generate_key()


def _issue(key, **overrides):
    args = dict(issuer="test-authority", subject="res-1", services=["language"],
                quotas=[Quota("M", 10, "block")], not_before=NOW - timedelta(hours=1),
                expires=NOW + timedelta(days=1))
    args.update(overrides)
    return lic.issue(key, **args)


def _refusal(token, keys) -> LicenceError:
    with pytest.raises(LicenceError) as info:
        lic.verify(token, keys)
    return info.value


def _segments(token):
    return token.split(".")


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def test_valid_licence_round_trips(key):
    token = _issue(key)
    got = lic.verify(token, [key.public_key()])
    assert got.subject == "res-1" and got.services == ("language",)
    assert got.quotas == (Quota("M", 10.0, "block"),)
    assert got.time_problem() is None


def test_tampered_payload(key):
    header, payload, sig = _segments(_issue(key))
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    claims["quotas"][0]["limit"] = 10**9
    err = _refusal(".".join([header, _b64(claims), sig]), [key.public_key()])
    assert err.code == "Invalid" and "signature does not verify" in err.message


def test_swapped_signature(key):
    a = _segments(_issue(key, subject="res-a"))
    b = _segments(_issue(key, subject="res-b"))
    err = _refusal(".".join([a[0], a[1], b[2]]), [key.public_key()])
    assert err.code == "Invalid" and "signature does not verify" in err.message


def test_alg_none(key):
    claims = jwt.decode(_issue(key), options={"verify_signature": False})
    token = jwt.encode(claims, None, algorithm="none")
    err = _refusal(token, [key.public_key()])
    assert err.code == "Invalid" and "'none'" in err.message and "EdDSA" in err.message


def test_hs256_with_public_key_as_secret(key):
    # The classic confusion attack: HMAC keyed with the (public) verification key.
    claims = jwt.decode(_issue(key), options={"verify_signature": False})
    token = jwt.encode(claims, "attacker-secret-of-at-least-32-bytes!", algorithm="HS256")
    err = _refusal(token, [key.public_key()])
    assert err.code == "Invalid" and "'HS256'" in err.message


def test_rs256(key):
    claims = jwt.decode(_issue(key), options={"verify_signature": False})
    rsa = generate_private_key(public_exponent=65537, key_size=2048)
    err = _refusal(jwt.encode(claims, rsa, algorithm="RS256"), [key.public_key()])
    assert err.code == "Invalid" and "'RS256'" in err.message


def test_key_of_another_authority(key):
    other = lic.generate_key()
    err = _refusal(_issue(other), [key.public_key()])
    assert err.code == "Invalid" and "another authority" in err.message


def test_key_embedded_in_header_is_ignored(key):
    # A forger signs with their own key and ships it in the header (jwk): still refused.
    other = lic.generate_key()
    jwk = json.loads(jwt.algorithms.OKPAlgorithm.to_jwk(other.public_key()))
    token = jwt.encode(jwt.decode(_issue(key), options={"verify_signature": False}), other,
                       algorithm="EdDSA", headers={"jwk": jwk, "kid": lic.key_id(key.public_key())})
    err = _refusal(token, [key.public_key()])
    assert "signature does not verify" in err.message


def test_second_trusted_key_verifies(key):
    other = lic.generate_key()
    assert lic.verify(_issue(key), [other.public_key(), key.public_key()]).subject == "res-1"


def test_no_trusted_keys(key):
    err = _refusal(_issue(key), [])
    assert "Licensing:TrustedKeys" in err.message


def test_wrong_audience(key):
    claims = jwt.decode(_issue(key), options={"verify_signature": False})
    claims["aud"] = "some-web-app"
    err = _refusal(jwt.encode(claims, key, algorithm="EdDSA"), [key.public_key()])
    assert err.code == "Mismatch" and "audience" in err.message


def test_missing_expiry(key):
    claims = jwt.decode(_issue(key), options={"verify_signature": False})
    del claims["exp"]
    err = _refusal(jwt.encode(claims, key, algorithm="EdDSA"), [key.public_key()])
    assert err.code == "Invalid" and "'exp'" in err.message


def test_bad_quota_behaviour(key):
    claims = jwt.decode(_issue(key), options={"verify_signature": False})
    claims["quotas"] = [{"meter": "M", "limit": 5, "behaviour": "shrug"}]
    err = _refusal(jwt.encode(claims, key, algorithm="EdDSA"), [key.public_key()])
    assert "behaviour must be one of block, overage" in err.message


def test_garbage():
    err = _refusal("not-a-token", [lic.generate_key().public_key()])
    assert err.code == "Invalid" and "not a signed token" in err.message


def test_expired(key):
    got = lic.verify(_issue(key, not_before=NOW - timedelta(days=2), expires=NOW - timedelta(days=1)),
                     [key.public_key()])
    problem = got.time_problem()
    assert problem.code == "Expired" and "expired at" in problem.message and "DownloadLicense" in problem.message


def test_not_yet_valid(key):
    got = lic.verify(_issue(key, not_before=NOW + timedelta(days=1), expires=NOW + timedelta(days=2)),
                     [key.public_key()])
    problem = got.time_problem()
    assert problem.code == "NotYetValid" and "not valid before" in problem.message


def test_expires_while_running(key):
    got = lic.verify(_issue(key, expires=NOW + timedelta(hours=1)), [key.public_key()])
    assert got.time_problem(NOW) is None
    assert got.time_problem(NOW + timedelta(hours=2)).code == "Expired"


def test_other_service(key, tmp_path):
    reading = _folder(tmp_path, key, _issue(key, services=["translator"]))
    with pytest.raises(LicenceError) as info:
        reading.for_service("language", tmp_path)
    assert info.value.code == "Mismatch" and "translator" in info.value.message


def test_missing_folder(key, tmp_path):
    with pytest.raises(LicenceError) as info:
        lic.read_folder(tmp_path / "nope", [key.public_key()])
    assert info.value.message == lic.LICENCE_PATH_NOT_FOUND


def test_empty_folder(key, tmp_path):
    with pytest.raises(LicenceError) as info:
        lic.read_folder(tmp_path, [key.public_key()]).for_service("language", tmp_path)
    assert info.value.code == "Missing" and "DownloadLicense=True" in info.value.message


def test_folder_names_the_refused_file(key, tmp_path):
    reading = _folder(tmp_path, key, _issue(lic.generate_key()))
    with pytest.raises(LicenceError) as info:
        reading.for_service("language", tmp_path)
    assert "licence-res-1.jwt" in info.value.message and "another authority" in info.value.message


def test_folder_prefers_a_valid_licence(key, tmp_path):
    old = lic.verify(_issue(key, subject="old", not_before=NOW - timedelta(days=9),
                            expires=NOW - timedelta(days=1)), [key.public_key()])
    new = lic.verify(_issue(key, subject="new"), [key.public_key()])
    lic.write_licence(tmp_path, old)
    lic.write_licence(tmp_path, new)
    assert lic.read_folder(tmp_path, [key.public_key()]).for_service("language", tmp_path).subject == "new"


def test_trusted_key_forms(key, tmp_path):
    pem = lic.public_key_pem(key.public_key())
    (tmp_path / "a.pub").write_bytes(pem)
    forms = [str(tmp_path / "a.pub"), pem.decode(), lic.public_key_base64(key.public_key())]
    for form in forms:
        assert lic.verify(_issue(key), lic.load_trusted_keys([form])).subject == "res-1"
    with pytest.raises(LicenceError) as info:
        lic.load_trusted_keys([str(tmp_path / "missing.pub")])
    assert "no such key file" in info.value.message


def test_write_is_atomic_and_leaves_no_temp(key, tmp_path):
    got = lic.verify(_issue(key), [key.public_key()])
    path = lic.write_licence(tmp_path, got)
    assert path.read_text().strip() == got.token
    assert sorted(os.listdir(tmp_path)) == [path.name]


def _folder(folder, key, token):
    (folder / "licence-res-1.jwt").write_text(token)
    return lic.read_folder(folder, [key.public_key()])
