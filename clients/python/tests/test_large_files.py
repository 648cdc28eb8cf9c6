"""A 100 MB upload streamed from disk, and its copy downloaded, hashed on the way and verified."""

from __future__ import annotations

import hashlib
import os

MB = 1024 * 1024


def test_uploads_100_mb_and_downloads_the_result_verified(aa, jobs, tmp_path):
    source = tmp_path / "big.bin"
    digest = hashlib.sha256()
    block = os.urandom(MB)
    with open(source, "wb") as out:
        for i in range(100):
            chunk = i.to_bytes(4, "little") + block[4:]
            digest.update(chunk)
            out.write(chunk)

    created = aa.submit(jobs["copy"], file=source)
    done = aa.wait(created["id"])

    assert done["status"] == "complete"
    copy = next(f for f in done["files"] if f["name"].endswith(".copy"))
    saved = aa.download(created["id"], copy, tmp_path / "big.copy")
    assert saved == {"path": str(tmp_path / "big.copy"), "size": 100 * MB, "sha256": digest.hexdigest()}
