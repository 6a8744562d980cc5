"""Error responses: a status and a one-line plain-text message, never a traceback or a path."""

from __future__ import annotations

from fastapi.responses import PlainTextResponse

REASONS = {
    400: "Bad Request",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    406: "Not Acceptable",
    413: "Content Too Large",
    415: "Unsupported Media Type",
    422: "Unprocessable Content",
    500: "Internal Server Error",
    503: "Service Unavailable",
}


def error_response(status: int, message: str, headers: dict[str, str] | None = None) -> PlainTextResponse:
    reason = REASONS.get(status, "Error")
    return PlainTextResponse(f"{status} {reason}: {message}\n", status_code=status, headers=headers)
