from eduteach.lti import claims
from eduteach.lti.context import LaunchContext
from eduteach.lti.roles import Audience


def _body(**extra: object) -> dict[str, object]:
    body: dict[str, object] = {
        "iss": "https://lms.example.edu",
        "sub": "opaque-123",
        "name": "Ada Lovelace",
        "email": "ada@example.edu",
        claims.DEPLOYMENT_ID: "dep-1",
        claims.MESSAGE_TYPE: claims.RESOURCE_LINK_REQUEST,
        claims.TARGET_LINK_URI: "https://tool.example.org/lti/launch",
        claims.ROLES: ["http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"],
        claims.CONTEXT: {"id": "c-1", "title": "Biology", "label": "BIO"},
        claims.RESOURCE_LINK: {"id": "rl-1", "title": "Cells quiz"},
        claims.LAUNCH_PRESENTATION: {
            "return_url": "https://school.example.edu/courses/1",
            "locale": "en",
        },
    }
    body.update(extra)
    return body


def test_context_keeps_no_personal_data() -> None:
    ctx = LaunchContext.from_claims(_body(), "client-1")
    flat = repr(ctx.to_dict())
    assert "Ada" not in flat
    assert "ada@example.edu" not in flat
    assert ctx.user_sub == "opaque-123"
    assert ctx.audience is Audience.STUDENT


def test_context_round_trips_through_storage() -> None:
    ctx = LaunchContext.from_claims(_body(), "client-1")
    again = LaunchContext.from_dict(ctx.to_dict())
    assert again == ctx
    assert again.context_title == "Biology"
    assert again.resource_link_id == "rl-1"


def test_presentation_origin_comes_from_return_url() -> None:
    ctx = LaunchContext.from_claims(_body(), "client-1")
    assert ctx.presentation_origins == ("https://school.example.edu",)


def test_deep_link_launch_is_recognised() -> None:
    ctx = LaunchContext.from_claims(
        _body(
            **{
                claims.MESSAGE_TYPE: claims.DEEP_LINKING_REQUEST,
                claims.DL_SETTINGS: {
                    "deep_link_return_url": "https://lms.example.edu/dl",
                    "accept_types": ["ltiResourceLink"],
                },
            }
        ),
        "client-1",
    )
    assert ctx.is_deep_link
    assert "https://lms.example.edu" in ctx.presentation_origins
