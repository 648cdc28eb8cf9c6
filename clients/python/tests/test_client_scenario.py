"""The scenario both clients run (test/clients/typescript-client.test.ts is the TypeScript one):
list jobs, submit a 2-step job with a file and parameters, follow progress, download and verify the
results, cancel a running submission and see its process dead by PID, and get the API's errors typed."""

from __future__ import annotations

import pytest

from analytics_automated import ApiError, ChecksumMismatch
from processes import is_alive, processes_in_dir, wait_until


def test_lists_the_runnable_jobs_with_their_parameters(aa, jobs):
    listed = {job["name"]: job for job in aa.list_jobs()}
    assert jobs["two_step"] in listed
    assert jobs["note_param"] in listed[jobs["two_step"]]["parameters"]["required"]


def test_submits_a_two_step_job_follows_it_and_downloads_verified_results(aa, jobs, tmp_path):
    source = tmp_path / "input.txt"
    source.write_text("hello python client\n")
    created = aa.submit(jobs["two_step"], file=source, params={jobs["note_param"]: "signed off"})
    seen = []
    done = aa.wait(created["id"], on_progress=seen.append)

    assert done["status"] == "complete"
    assert [stage["status"] for stage in done["stages"]] == ["complete", "complete"]
    assert seen[0]["id"] == created["id"] and seen[-1]["status"] == "complete"
    upper = next(f for f in done["files"] if f["name"].endswith(".up"))
    note = next(f for f in done["files"] if f["name"].endswith(".out"))
    aa.download(created["id"], upper, tmp_path / "upper.up")
    aa.download(created["id"], note["name"], tmp_path / "note.out")
    assert (tmp_path / "upper.up").read_text() == "HELLO PYTHON CLIENT\n"
    assert (tmp_path / "note.out").read_text() == "HELLO PYTHON CLIENT\nsigned off\n"


def test_keeps_nothing_when_a_download_does_not_match_its_sha256(aa, jobs, tmp_path):
    source = tmp_path / "input.txt"
    source.write_text("checksum\n")
    created = aa.submit(jobs["two_step"], file=source, params={jobs["note_param"]: "x"})
    done = aa.wait(created["id"])
    upper = next(f for f in done["files"] if f["name"].endswith(".up"))
    with pytest.raises(ChecksumMismatch):
        aa.download(created["id"], {**upper, "sha256": "0" * 64}, tmp_path / "bad.up")
    assert list(tmp_path.iterdir()) == [source]


def test_cancels_a_running_submission_and_its_process_dies(aa, jobs, tmp_path):
    source = tmp_path / "input.txt"
    source.write_text("slow\n")
    created = aa.submit(jobs["slow"], file=source)
    assert wait_until(lambda: len(processes_in_dir(created["id"])) > 0, 30)
    pids = processes_in_dir(created["id"])

    aa.cancel(created["id"], token=created.get("controlToken"))

    assert wait_until(lambda: not any(is_alive(pid) for pid in pids), 15, 0.05)
    assert aa.wait(created["id"])["status"] == "cancelled"


def test_bad_input_raises_the_api_error_with_status_code_and_message(aa, jobs, tmp_path):
    source = tmp_path / "input.txt"
    source.write_text("bad\n")
    with pytest.raises(ApiError) as missing:
        aa.submit(jobs["two_step"], file=source)
    assert missing.value.status == 422
    assert missing.value.code == "invalid_parameter"
    assert jobs["note_param"] in missing.value.message
    with pytest.raises(ApiError) as unknown:
        aa.submit("no-such-job", file=source)
    assert (unknown.value.status, unknown.value.code) == (404, "not_found")
