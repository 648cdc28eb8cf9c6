"""What the API refused, as it said it, and downloads that did not match their checksum."""

from __future__ import annotations

from typing import Any

import httpx


class ApiError(Exception):
    """The API's error: HTTP status, machine-readable code, human message (and details, e.g. the fields of a 422).

    Status 0 with code ``unreachable`` when no answer came.
    """

    def __init__(self, status: int, code: str, message: str, details: Any = None) -> None:
        super().__init__(f"HTTP {status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.details = details

    @classmethod
    def from_response(cls, response: httpx.Response) -> ApiError:
        try:
            error = response.json().get("error")
        except ValueError:
            error = None
        if isinstance(error, dict) and isinstance(error.get("code"), str) and isinstance(error.get("message"), str):
            return cls(response.status_code, error["code"], error["message"], error.get("details"))
        text = response.text[:500] or f"HTTP {response.status_code}"
        return cls(response.status_code, f"http_{response.status_code}", text)


class ChecksumMismatch(Exception):
    """A download whose size or sha256 differs from what the API recorded; nothing was kept."""

    def __init__(self, name: str, expected: dict[str, Any], size: int, sha256: str) -> None:
        super().__init__(
            f"{name}: got sha256 {sha256} ({size} B), expected {expected.get('sha256')} ({expected.get('size')} B)"
        )
        self.size = size
        self.sha256 = sha256
