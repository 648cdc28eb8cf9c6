"""Processes of a submission's steps, found by their working directory (``<root>/<submission id>/step-…``)."""

from __future__ import annotations

import os
import time


def is_alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            # The state follows the command name in parentheses; Z is a zombie, already dead.
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


def processes_in_dir(name: str) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            if f"/{name}/" in os.readlink(f"/proc/{entry}/cwd") and is_alive(int(entry)):
                found.append(int(entry))
        except OSError:
            pass
    return found


def wait_until(predicate, timeout: float, step: float = 0.1) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return bool(predicate())
