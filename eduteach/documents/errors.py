"""The one error type for uploads that cannot be used."""

from __future__ import annotations

from collections.abc import Mapping

from eduteach.documents.messages import ERRORS, error_message


class UploadError(Exception):
    """An upload or paste that cannot be used; `user_message` says why, in a teacher's words.

    `code` is stable (see `messages.ERRORS`) so callers can branch on it or translate it;
    `params` are the numbers the message quotes. Neither ever holds document content.
    """

    def __init__(
        self,
        code: str,
        params: Mapping[str, int | str] | None = None,
        *,
        label: str | None = None,
    ) -> None:
        self.code = code if code in ERRORS else "unreadable"
        self.params: dict[str, int | str] = dict(params or {})
        self.user_message = error_message(self.code, self.params)
        #: The display name of the file it is about, set by read_upload / read_uploads.
        self.label = label
        super().__init__(self.user_message)
