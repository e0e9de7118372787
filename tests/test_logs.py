import logging

import pytest

from eduteach import logs


@pytest.mark.parametrize(
    ("line", "secret"),
    [
        ("posted id_token=eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjMifQ.c2lnbmF0dXJl", "eyJhbGci"),
        ("Authorization: Bearer abc.def-ghi", "abc.def-ghi"),
        ("student ada.lovelace@school.example.edu opened", "ada.lovelace@"),
        ("api_key=sk-live-123456", "sk-live-123456"),
        ("state: 7Yx_9z-abcdef", "7Yx_9z-abcdef"),
    ],
)
def test_redact_masks_tokens_and_emails(line: str, secret: str) -> None:
    assert secret not in logs.redact(line)


def test_log_lines_are_one_line_with_a_request_id(capsys: pytest.CaptureFixture[str]) -> None:
    logs.configure("INFO")
    token = logs.request_id.set("req-12345678")
    try:
        logging.getLogger("eduteach.test").info("first line\nsecond line with nonce=abcd1234")
    finally:
        logs.request_id.reset(token)
    err = capsys.readouterr().err.strip().splitlines()
    line = next(e for e in err if "eduteach.test" in e)
    assert "request_id=req-12345678" in line
    assert "first line | second line" in line
    assert "abcd1234" not in line


def test_incoming_request_ids_are_kept_only_when_sane() -> None:
    assert logs.new_request_id("abc-DEF_123.x") == "abc-DEF_123.x"
    assert logs.new_request_id("bad id with spaces") != "bad id with spaces"
    assert len(logs.new_request_id(None)) == 16
