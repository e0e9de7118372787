"""The platform's signing keys: kept, published, rotated and retired."""

from __future__ import annotations

import stat

import jwt
import pytest
import requests
from flask.testing import FlaskClient

from eduteach.practice_lms import KeyStoreError, PracticeConfig, PracticePlatform, rotate_key
from tests.practice_lms.conftest import LmsAndTool, csrf_from
from tests.practice_lms.test_launch import launch_over_http


def test_key_is_generated_once_and_kept_private(tmp_path_factory: pytest.TempPathFactory) -> None:
    config = PracticeConfig(instance_path=tmp_path_factory.mktemp("fresh"))

    first = PracticePlatform(config).current_kid()
    again = PracticePlatform(config).current_kid()

    assert first == again
    assert stat.S_IMODE(config.keys_path.stat().st_mode) == 0o600
    assert [key["kid"] for key in PracticePlatform(config).jwks()["keys"]] == [first]


def test_key_set_publishes_public_halves_only(running: LmsAndTool) -> None:
    keys = requests.get(running.config.key_set_url, timeout=10).json()["keys"]

    assert len(keys) == 1
    key = keys[0]
    assert (key["kty"], key["alg"], key["use"]) == ("RSA", "RS256", "sig")
    assert key["kid"] == running.platform.current_kid()
    assert not {"d", "p", "q", "dp", "dq", "qi"} & set(key)


def test_rotation_keeps_old_key_published_and_signs_with_new(running: LmsAndTool) -> None:
    platform = running.platform
    old_kid = platform.current_kid()
    old_token_params = launch_over_http(platform.start_launch("rivera"))
    assert old_token_params.status_code == 200

    new_kid = rotate_key(running.config)

    published = requests.get(running.config.key_set_url, timeout=10).json()["keys"]
    assert [key["kid"] for key in published] == [old_kid, new_kid]
    assert launch_over_http(platform.start_launch("alex")).status_code == 200
    assert [header["kid"] for header in running.tool.headers] == [old_kid, new_kid]


def test_token_signed_before_rotation_still_verifies(running: LmsAndTool) -> None:
    platform = running.platform
    claims = {"iss": running.config.issuer, "sub": "x", "aud": "eduteach-practice"}
    before = platform.sign_id_token(claims)

    platform.rotate_key()

    by_kid = {key["kid"]: key for key in platform.jwks()["keys"]}
    header = jwt.get_unverified_header(before)
    public = jwt.PyJWK(by_kid[header["kid"]]).key
    assert jwt.decode(before, public, algorithms=["RS256"], audience="eduteach-practice")


def test_retired_key_leaves_the_key_set(running: LmsAndTool) -> None:
    platform = running.platform
    old_kid = platform.current_kid()
    new_kid = platform.rotate_key()

    platform.retire_key(old_kid)

    assert [key["kid"] for key in platform.jwks()["keys"]] == [new_kid]
    with pytest.raises(KeyStoreError):
        platform.retire_key(new_kid)


def test_admin_page_rotates_and_retires(practice_client: FlaskClient) -> None:
    token = csrf_from(practice_client, "/admin")

    response = practice_client.post(
        "/admin/keys/rotate", data={"csrf_token": token}, follow_redirects=True
    )

    assert response.status_code == 200
    keys = practice_client.get("/jwks").get_json()["keys"]
    assert len(keys) == 2
    page = response.get_data(as_text=True)
    assert f"New signing key {keys[1]['kid']} is now current" in page
    retire = practice_client.post(
        f"/admin/keys/{keys[0]['kid']}/retire", data={"csrf_token": token}, follow_redirects=True
    )
    assert "is no longer published" in retire.get_data(as_text=True)
    assert [k["kid"] for k in practice_client.get("/jwks").get_json()["keys"]] == [keys[1]["kid"]]


def test_admin_rotation_needs_the_csrf_token(practice_client: FlaskClient) -> None:
    practice_client.get("/admin")

    response = practice_client.post("/admin/keys/rotate", data={"csrf_token": "forged"})

    assert response.status_code == 400
    assert len(practice_client.get("/jwks").get_json()["keys"]) == 1
