import json
from collections.abc import Callable
from pathlib import Path

from flask import Flask

from eduteach.lti.platforms import PlatformValues, add_platform
from eduteach.storage.db import Database

REPO = Path(__file__).resolve().parents[2]


AppFactory = Callable[..., Flask]


def test_health_and_readiness(app_factory: AppFactory, db: Database) -> None:
    client = app_factory(db.url).test_client()
    assert client.get("/healthz").get_json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.get_json()["database"] == "ok"


def test_readiness_fails_when_the_database_is_unreachable(app_factory: AppFactory) -> None:
    app = app_factory("postgresql+psycopg://nobody@127.0.0.1:1/none")
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "unavailable", "database": "unreachable"}


def test_canvas_json_has_urls_scopes_and_placements(app_factory: AppFactory, db: Database) -> None:
    body = app_factory(db.url).test_client().get("/lti/canvas.json").get_json()
    assert body["oidc_initiation_url"] == "https://eduteach.example.edu/lti/login"
    assert body["target_link_uri"] == "https://eduteach.example.edu/lti/launch"
    assert body["public_jwk_url"] == "https://eduteach.example.edu/lti/jwks"
    assert "https://purl.imsglobal.org/spec/lti-ags/scope/score" in body["scopes"]
    assert (
        "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"
        in body["scopes"]
    )
    placements = {p["placement"]: p for p in body["extensions"][0]["settings"]["placements"]}
    assert set(placements) == {
        "course_navigation",
        "editor_button",
        "assignment_selection",
        "link_selection",
    }
    assert placements["course_navigation"]["message_type"] == "LtiResourceLinkRequest"
    assert placements["link_selection"]["message_type"] == "LtiDeepLinkingRequest"


def test_documented_canvas_example_matches_what_the_tool_serves(
    app_factory: AppFactory, db: Database
) -> None:
    served = app_factory(db.url).test_client().get("/lti/canvas.json").get_json()
    documented = json.loads((REPO / "lti_config" / "canvas.json").read_text())
    assert documented == served


def test_moodle_page_lists_the_values_an_admin_types(app_factory: AppFactory, db: Database) -> None:
    page = app_factory(db.url).test_client().get("/lti/moodle").get_data(as_text=True)
    assert 'data-role="admin"' in page
    for value in (
        "https://eduteach.example.edu/lti/launch",
        "https://eduteach.example.edu/lti/jwks",
        "https://eduteach.example.edu/lti/login",
        "Keyset URL",
        "LTI 1.3",
    ):
        assert value in page


def test_jwks_publishes_the_active_key(app_factory: AppFactory, db: Database) -> None:
    keys = app_factory(db.url).test_client().get("/lti/jwks").get_json()["keys"]
    assert len(keys) == 1
    assert keys[0]["kty"] == "RSA"
    assert keys[0]["alg"] == "RS256"
    assert "d" not in keys[0]  # never the private part


def test_frame_ancestors_list_registered_platforms_and_no_x_frame_options(
    app_factory: AppFactory, db: Database
) -> None:
    with db.session() as s:
        add_platform(
            s,
            PlatformValues(
                issuer="https://canvas.instructure.com",
                client_id="1000",
                deployment_ids=["d"],
                auth_login_url="https://sso.canvaslms.com/api/lti/authorize_redirect",
                auth_token_url="https://sso.canvaslms.com/login/oauth2/token",
                key_set_url="https://sso.canvaslms.com/api/lti/security/jwks",
                frame_origins=["https://district.instructure.com"],
            ),
        )
    response = app_factory(db.url).test_client().get("/lti/moodle")
    csp = response.headers["Content-Security-Policy"]
    ancestors = csp.split("frame-ancestors", 1)[1].split(";")[0].split()
    assert set(ancestors) == {
        "'self'",
        "https://canvas.instructure.com",
        "https://sso.canvaslms.com",
        "https://district.instructure.com",
    }
    assert "X-Frame-Options" not in response.headers


def test_forwarded_headers_count_only_from_trusted_proxies(
    app_factory: AppFactory, db: Database
) -> None:
    app = app_factory(db.url, trusted_proxies=("10.0.0.0/8",))

    @app.get("/_scheme")
    def _scheme() -> str:
        from flask import request

        return f"{request.scheme}://{request.host}"

    client = app.test_client()
    headers = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "tool.example.org"}
    trusted = client.get("/_scheme", headers=headers, environ_base={"REMOTE_ADDR": "10.1.2.3"})
    assert trusted.get_data(as_text=True) == "https://tool.example.org"
    stranger = client.get("/_scheme", headers=headers, environ_base={"REMOTE_ADDR": "203.0.113.9"})
    assert stranger.get_data(as_text=True) == "http://localhost"


def test_unknown_page_is_a_plain_404_without_a_stack_trace(
    app_factory: AppFactory, db: Database
) -> None:
    response = app_factory(db.url).test_client().get("/no/such/page")
    assert response.status_code == 404
    text = response.get_data(as_text=True)
    assert "Page not found" in text
    assert "Traceback" not in text
