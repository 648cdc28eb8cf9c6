"""Python client of the analytics-automated REST API (docs/clients.md in the repository)."""

from .client import Client
from .errors import ApiError, ChecksumMismatch

__all__ = ["ApiError", "ChecksumMismatch", "Client"]
