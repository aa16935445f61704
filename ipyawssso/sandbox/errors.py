"""The one exception the sandbox's logic raises to answer a call with an AWS error.

The logic names the error as the real service does (``code``, HTTP ``status``); the HTTP layer
renders it in the wire format of the service that was called (JSON with ``x-amzn-ErrorType``,
sso-oidc's ``error``/``error_description`` body, or STS's XML). Messages never hold a secret.
"""

from __future__ import annotations

__all__ = ["ApiError"]


class ApiError(Exception):
    def __init__(self, code: str, status: int, message: str = "") -> None:
        super().__init__(f"{code} ({status}): {message}")
        self.code = code
        self.status = status
        self.message = message
