"""The client: list jobs, submit, follow, download verified, cancel (docs/clients.md)."""

from __future__ import annotations

import hashlib
import json
import os
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from typing import Any, Union
from urllib.parse import quote

import httpx

from .errors import ApiError, ChecksumMismatch

FINISHED = {"complete", "error", "crash", "cancelled", "deleted", "expired"}
# Statuses after which the same POST may be sent again with the same Idempotency-Key: unreachable,
# a proxy or the API restarting, or the first try still being answered (docs/idempotency-keys.md).
RETRY_POST = {0, 409, 502, 503, 504}
POST_ATTEMPTS = 4
# An API restart or a proxy hiccup should not end a long watch; anything else should.
TRANSIENT = {0, 502, 503, 504}
MAX_TRANSIENT_FAILURES = 10

FileChoice = Union[str, Mapping[str, Any]]


def _path(*parts: str) -> str:
    return "/".join(quote(part, safe="") for part in parts)


class Client:
    """``Client("http://localhost:3000", api_key="aa_...")``; use it in a ``with`` block or call ``close()``."""

    def __init__(self, base_url: str, api_key: str | None = None, *, timeout: float = 60.0) -> None:
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        # Long polls (?wait) answer within their wait; uploads and downloads stream, so no whole-body timeout.
        self._http = httpx.Client(base_url=base_url, headers=headers, timeout=httpx.Timeout(timeout, connect=10.0))

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    def _send(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        try:
            response = self._http.request(method, url, **kwargs)
        except httpx.TransportError as err:
            raise ApiError(0, "unreachable", f"cannot reach {self._http.base_url}: {err}") from err
        if response.is_error:
            raise ApiError.from_response(response)
        return response

    def list_jobs(self) -> list[dict[str, Any]]:
        """The runnable jobs, with their parameters as JSON Schema and their input."""
        return self._send("GET", "/api/v1/jobs", params={"view": "public"}).json()

    def list_submissions(self, **query: Any) -> dict[str, Any]:
        """Submissions newest first (``job``, ``status``, ``limit``, ``cursor``): yours, or all with an admin key."""
        return self._send("GET", "/api/v1/submissions", params=query).json()

    def get(self, submission_id: str, wait: int = 0) -> dict[str, Any]:
        """One submission; with ``wait`` the API answers on its next change, or after that many seconds."""
        params = {"wait": wait} if wait > 0 else None
        return self._send("GET", f"/api/v1/submissions/{_path(submission_id)}", params=params).json()

    def submit(
        self,
        job: str,
        *,
        file: str | os.PathLike[str] | None = None,
        params: Mapping[str, Any] | None = None,
        input_ref: Mapping[str, str] | None = None,
        name: str | None = None,
        email: str | None = None,
        idempotency_key: str | None = None,
        retry_delay: float = 1.0,
    ) -> dict[str, Any]:
        """Submits to a job: the file streamed from disk, parameters by ``<task>_<alias>``, or ``input_ref``.

        One Idempotency-Key per call, sent again on each retry, so a retry after a lost answer returns
        the first submission instead of starting a second one.
        """
        file_name = os.path.basename(os.fspath(file)) if file is not None else None
        fields = {"submission_name": name or file_name or "submission"}
        if email:
            fields["email"] = email
        for key, value in (params or {}).items():
            fields[key] = str(value).lower() if isinstance(value, bool) else str(value)
        if file is None and input_ref is not None:
            fields["input_ref"] = json.dumps(dict(input_ref))
        headers = {"Idempotency-Key": idempotency_key or str(uuid.uuid4())}
        url = f"/api/v1/jobs/{_path(job)}/submissions"
        for attempt in range(1, POST_ATTEMPTS + 1):
            try:
                if file is None:
                    # Without a file part httpx would send urlencoded; the API takes multipart.
                    return self._send("POST", url, files={k: (None, v) for k, v in fields.items()}, headers=headers).json()
                with open(file, "rb") as data:
                    return self._send(
                        "POST", url, data=fields, files={"input_data": (file_name, data)}, headers=headers
                    ).json()
            except ApiError as err:
                if err.status not in RETRY_POST or attempt >= POST_ATTEMPTS:
                    raise
                time.sleep(retry_delay * 2 ** (attempt - 1))
        raise AssertionError("unreachable")

    def follow(self, submission_id: str, wait_seconds: int = 20) -> Iterator[dict[str, Any]]:
        """Yields the submission now and after every change, until it has finished."""
        view = self.get(submission_id)
        yield view
        failures = 0
        while view["status"] not in FINISHED:
            try:
                view = self.get(submission_id, wait=wait_seconds)
                failures = 0
            except ApiError as err:
                failures += 1
                if err.status not in TRANSIENT or failures > MAX_TRANSIENT_FAILURES:
                    raise
                time.sleep(min(0.5 * failures, 3.0))
                continue
            yield view

    def wait(
        self, submission_id: str, on_progress: Callable[[dict[str, Any]], None] | None = None
    ) -> dict[str, Any]:
        """Waits until the submission has finished and returns it; ``on_progress`` sees every change."""
        view: dict[str, Any] = {}
        for view in self.follow(submission_id):
            if on_progress:
                on_progress(view)
        return view

    def download(self, submission_id: str, file: FileChoice, dest: str | os.PathLike[str]) -> dict[str, Any]:
        """Streams a file of the submission (an entry of ``files``, or its id or name) to ``dest``.

        The bytes go to ``dest.part`` and are hashed on the way; ``dest`` appears only when size and
        sha256 match what the API recorded, else ChecksumMismatch is raised and nothing is kept.
        """
        chosen = self._resolve_file(submission_id, file)
        part = f"{os.fspath(dest)}.part"
        digest = hashlib.sha256()
        size = 0
        url = f"/api/v1/submissions/{_path(submission_id)}/files/{_path(chosen['id'])}"
        try:
            with self._http.stream("GET", url) as response:
                if response.is_error:
                    response.read()
                    raise ApiError.from_response(response)
                with open(part, "wb") as out:
                    for chunk in response.iter_bytes(1024 * 1024):
                        digest.update(chunk)
                        size += len(chunk)
                        out.write(chunk)
        except httpx.TransportError as err:
            _remove(part)
            raise ApiError(0, "unreachable", f"cannot reach {self._http.base_url}: {err}") from err
        except BaseException:
            _remove(part)
            raise
        sha256 = digest.hexdigest()
        if chosen.get("sha256") != sha256 or chosen.get("size") != size:
            _remove(part)
            raise ChecksumMismatch(chosen["name"], dict(chosen), size, sha256)
        os.replace(part, dest)
        return {"path": os.fspath(dest), "size": size, "sha256": sha256}

    def cancel(self, submission_id: str, token: str | None = None) -> dict[str, Any]:
        """Cancels: running processes get SIGTERM, later stages never start. ``token``: an anonymous submission's."""
        headers = {"Submission-Token": token} if token else None
        return self._send("POST", f"/api/v1/submissions/{_path(submission_id)}/cancel", headers=headers).json()

    def _resolve_file(self, submission_id: str, file: FileChoice) -> Mapping[str, Any]:
        if not isinstance(file, str):
            return file
        files = self.get(submission_id)["files"]
        for entry in files:
            if entry["id"] == file:
                return entry
        # An output before an input of the same name.
        for entry in sorted(files, key=lambda f: f["kind"] == "input"):
            if entry["name"] == file:
                return entry
        raise LookupError(f"submission {submission_id} has no file {file}")


def _remove(path: str) -> None:
    try:
        os.remove(path)
    except FileNotFoundError:
        pass
