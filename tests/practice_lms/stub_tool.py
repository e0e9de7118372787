"""A tiny LTI 1.3 tool standing in for EduTeach: it checks every launch strictly with PyJWT.

It knows the platform only from ``registration_values`` and its public key set over HTTP,
so a launch it accepts is one a real tool would accept.
"""

from __future__ import annotations

import json
import secrets
import time
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import jwt
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from flask import Flask, abort, redirect, request
from markupsafe import escape
from werkzeug.wrappers import Response

LTI = "https://purl.imsglobal.org/spec/lti/claim/"
DL = "https://purl.imsglobal.org/spec/lti-dl/claim/"
REQUIRED_CLAIMS = ("sub", "nonce", "exp", "iat", "iss", "aud")

# What the stub tool places when a teacher presses "Add to course" in a browser.
DEMO_ITEMS: list[dict[str, Any]] = [
    {
        "type": "ltiResourceLink",
        "title": "Photosynthesis quiz",
        "text": "Ten questions on how plants make food.",
        "custom": {"eduteach_activity": "quiz-42"},
        "lineItem": {"scoreMaximum": 10, "label": "Photosynthesis quiz", "resourceId": "quiz-42"},
    },
    {"type": "html", "title": "Lesson plan", "html": "<p>Plants turn <b>light</b> into food.</p>"},
]


def _generate_pem() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


@dataclass
class StubTool:
    """State of the stub tool: its key, the platform it trusts and what it has seen."""

    platform: dict[str, str]
    private_pem: str = field(default_factory=_generate_pem)
    kid: str = field(default_factory=lambda: f"stub-{uuid.uuid4().hex[:8]}")
    logins: list[dict[str, str]] = field(default_factory=list)
    launches: list[dict[str, Any]] = field(default_factory=list)
    headers: list[dict[str, Any]] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    states: dict[str, str] = field(default_factory=dict)

    def public_jwks(self) -> dict[str, Any]:
        """The tool's key set, as the platform fetches it."""
        private = serialization.load_pem_private_key(self.private_pem.encode(), password=None)
        assert isinstance(private, rsa.RSAPrivateKey)
        jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(private.public_key()))
        jwk.update({"kid": self.kid, "alg": "RS256", "use": "sig"})
        return {"keys": [jwk]}

    def client_assertion(self, **overrides: Any) -> str:
        """A client assertion JWT for the platform's token endpoint (pylti1p3's shape)."""
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": self.platform["client_id"],
            "sub": self.platform["client_id"],
            "aud": self.platform["auth_token_url"],
            "iat": now - 5,
            "exp": now + 60,
            "jti": f"lti-service-token-{uuid.uuid4()}",
        }
        kid = overrides.pop("kid", self.kid)
        key = overrides.pop("key", self.private_pem)
        claims.update(overrides)
        return jwt.encode(claims, key, algorithm="RS256", headers={"kid": kid})

    def deep_linking_response(
        self, request: dict[str, Any], items: list[dict[str, Any]], **overrides: Any
    ) -> str:
        """A signed LtiDeepLinkingResponse answering the deep linking launch ``request``.

        ``overrides`` replace claims; ``drop`` lists claims to leave out; ``kid`` and
        ``key`` change the header's kid and the signing key.
        """
        now = int(time.time())
        settings = request[DL + "deep_linking_settings"]
        claims: dict[str, Any] = {
            "iss": self.platform["client_id"],
            "aud": self.platform["issuer"],
            "iat": now,
            "exp": now + 300,
            "nonce": uuid.uuid4().hex,
            LTI + "deployment_id": request[LTI + "deployment_id"],
            LTI + "message_type": "LtiDeepLinkingResponse",
            LTI + "version": "1.3.0",
            DL + "content_items": items,
        }
        if "data" in settings:
            claims[DL + "data"] = settings["data"]
        kid = overrides.pop("kid", self.kid)
        key = overrides.pop("key", self.private_pem)
        for name in overrides.pop("drop", ()):
            claims.pop(name)
        claims.update(overrides)
        return jwt.encode(claims, key, algorithm="RS256", headers={"kid": kid} if kid else None)

    def verify_launch(self, id_token: str, state: str) -> dict[str, Any]:
        """Check an id_token as a strict tool does; raises ValueError with the reason."""
        nonce = self.states.pop(state, None)
        if nonce is None:
            raise ValueError("unknown state")
        header = jwt.get_unverified_header(id_token)
        jwks = requests.get(self.platform["key_set_url"], timeout=5).json()
        keys = {key["kid"]: key for key in jwks["keys"]}
        if header.get("kid") not in keys:
            raise ValueError("kid not in platform JWKS")
        public_key = jwt.PyJWK(keys[header["kid"]]).key
        claims: dict[str, Any] = jwt.decode(
            id_token,
            public_key,
            algorithms=["RS256"],
            audience=self.platform["client_id"],
            issuer=self.platform["issuer"],
            options={"require": list(REQUIRED_CLAIMS)},
        )
        if claims["nonce"] != nonce:
            raise ValueError("nonce mismatch")
        if claims.get(LTI + "version") != "1.3.0":
            raise ValueError("wrong LTI version")
        if claims.get(LTI + "deployment_id") != self.platform["deployment_id"]:
            raise ValueError("unknown deployment")
        message_type = claims.get(LTI + "message_type")
        if message_type == "LtiResourceLinkRequest":
            if not claims.get(LTI + "resource_link", {}).get("id"):
                raise ValueError("no resource link id")
        elif message_type == "LtiDeepLinkingRequest":
            if not claims.get(DL + "deep_linking_settings", {}).get("deep_link_return_url"):
                raise ValueError("no deep_link_return_url")
        else:
            raise ValueError("unexpected message type")
        if LTI + "roles" not in claims:
            raise ValueError("no roles claim")
        self.headers.append(header)
        return claims


_PROBE_SCRIPT = """
<script>
"use strict";
const platformOrigin = %(origin)s;
let counter = 0;
function ask(message) {
  message.message_id = "m" + (++counter) + "-" + Math.random();
  return new Promise((resolve) => {
    const timer = setTimeout(() => { window.removeEventListener("message", on); resolve(null); }, 1500);
    function on(event) {
      if (event.origin === platformOrigin && event.data && event.data.message_id === message.message_id) {
        clearTimeout(timer);
        window.removeEventListener("message", on);
        resolve(event.data);
      }
    }
    window.addEventListener("message", on);
    window.parent.postMessage(message, platformOrigin);
  });
}
%(body)s
</script>
"""


def _probe(origin: str, body: str) -> str:
    return _PROBE_SCRIPT % {"origin": json.dumps(origin), "body": body}


def _picker(tool: StubTool, request: dict[str, Any]) -> str:
    """The stub tool's content picker: one button posting a signed answer to the LMS."""
    return_url = request[DL + "deep_linking_settings"]["deep_link_return_url"]
    token = tool.deep_linking_response(request, DEMO_ITEMS)
    return (
        "<!doctype html><html lang='en'><head><title>Stub picker</title></head><body>"
        "<h1 id='picker'>Choose content</h1>"
        f"<form method='post' action='{escape(return_url)}'>"
        f"<input type='hidden' name='JWT' value='{escape(token)}'>"
        "<button type='submit'>Add to course</button></form></body></html>"
    )


def create_stub_tool(tool: StubTool, platform_origin: str) -> Flask:
    """The stub tool's Flask app: /lti/login, /lti/launch, /lti/jwks and storage probes."""
    app = Flask("stub_tool")

    @app.route("/lti/login", methods=["GET", "POST"])
    def login() -> Response:
        params = (request.form if request.method == "POST" else request.args).to_dict()
        tool.logins.append(params)
        if params.get("iss") != tool.platform["issuer"]:
            abort(400)
        state, nonce = secrets.token_urlsafe(16), secrets.token_urlsafe(16)
        tool.states[state] = nonce
        query = {
            "scope": "openid",
            "response_type": "id_token",
            "response_mode": "form_post",
            "prompt": "none",
            "client_id": params.get("client_id", ""),
            "redirect_uri": params.get("target_link_uri", ""),
            "state": state,
            "nonce": nonce,
            "login_hint": params.get("login_hint", ""),
            "lti_message_hint": params.get("lti_message_hint", ""),
        }
        return redirect(f"{tool.platform['auth_login_url']}?{urlencode(query)}", 302)

    @app.post("/lti/launch")
    def launch() -> tuple[str, int]:
        try:
            claims = tool.verify_launch(request.form["id_token"], request.form["state"])
        except (ValueError, KeyError, jwt.PyJWTError) as exc:
            tool.failures.append(str(exc))
            return f"<p id='failure'>{escape(str(exc))}</p>", 400
        tool.launches.append(claims)
        if claims[LTI + "message_type"] == "LtiDeepLinkingRequest":
            return _picker(tool, claims), 200
        roles = " ".join(role.rsplit("#", 1)[-1] for role in claims[LTI + "roles"])
        probe = _probe(
            platform_origin,
            """
(async () => {
  const capabilities = await ask({subject: "lti.capabilities"});
  const put = await ask({subject: "lti.put_data", key: "state", value: "abc"});
  const got = await ask({subject: "lti.get_data", key: "state"});
  const missing = await ask({subject: "lti.get_data", key: "nothing-here"});
  const unknown = await ask({subject: "lti.unknown_thing"});
  window.parent.postMessage({subject: "lti.frameResize", height: 1234}, platformOrigin);
  document.getElementById("storage").textContent =
    JSON.stringify({capabilities, put, got, missing, unknown});
})();
""",
        )
        page = (
            "<!doctype html><html lang='en'><head><title>Stub tool</title></head><body>"
            f"<h1 id='launched'>Stub tool launched as {escape(claims.get('name', ''))}</h1>"
            f"<p id='roles'>{escape(roles)}</p>"
            f"<pre id='custom'>{escape(json.dumps(claims.get(LTI + 'custom', {})))}</pre>"
            f"<pre id='storage'></pre>{probe}</body></html>"
        )
        return page, 200

    @app.get("/lti/jwks")
    def jwks() -> dict[str, Any]:
        return tool.public_jwks()

    @app.get("/probe/nested")
    def nested() -> str:
        # two intruders posting to the LMS page: a foreign origin, and the tool's origin
        # from a frame that is not the tool's iframe
        port = request.host.rsplit(":", 1)[1]
        probe = _probe(
            platform_origin,
            """
setTimeout(async () => {
  const got = await ask({subject: "lti.get_data", key: "state"});
  document.getElementById("after").textContent = JSON.stringify(got);
}, 2500);
""",
        )
        return (
            "<!doctype html><html lang='en'><head><title>Nested</title></head><body>"
            f"<iframe title='foreign' src='http://localhost:{port}/probe/intruder'></iframe>"
            f"<iframe title='same origin' src='http://127.0.0.1:{port}/probe/intruder'></iframe>"
            f"<pre id='after'></pre>{probe}</body></html>"
        )

    @app.get("/probe/intruder")
    def intruder() -> str:
        return (
            "<!doctype html><html lang='en'><head><title>Intruder</title></head><body>"
            "<p id='result'>waiting</p><script>"
            "let answered = false;"
            "window.addEventListener('message', () => { answered = true; });"
            "window.parent.parent.postMessage({subject: 'lti.put_data', message_id: 'x',"
            " key: 'state', value: 'evil'}, '*');"
            "setTimeout(() => { document.getElementById('result').textContent ="
            " answered ? 'answered' : 'ignored'; }, 1200);"
            "</script></body></html>"
        )

    return app
