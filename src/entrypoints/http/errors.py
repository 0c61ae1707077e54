"""Every failure leaves as OpenAI's error envelope; the status comes from `domain.status`."""

from __future__ import annotations

import logging
import re
from typing import Any

from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException

from domain.errors import AllProvidersFailedError, GatewayError, ProviderError
from domain.status import status_of
from entrypoints.http.schemas.errors import ErrorBody, ErrorEnvelope

log = logging.getLogger(__name__)

_TYPE_BY_STATUS = {
    400: "invalid_request_error",
    401: "authentication_error",
    403: "permission_error",
    404: "invalid_request_error",
    405: "invalid_request_error",
    409: "invalid_request_error",
    413: "invalid_request_error",
    415: "invalid_request_error",
    422: "invalid_request_error",
    429: "rate_limit_error",
}
_FIELD_IN_MESSAGE = re.compile(r"field `([^`]+)`")


def envelope_for(exc: GatewayError) -> tuple[ErrorEnvelope, int, dict[str, str]]:
    status = status_of(exc)
    headers: dict[str, str] = {}
    code, err_type = exc.code, exc.type
    provider_error = exc.last if isinstance(exc, AllProvidersFailedError) else exc
    if isinstance(provider_error, ProviderError):
        code = provider_error.kind.value
        err_type = _TYPE_BY_STATUS.get(status, "api_error")
        if provider_error.retry_after is not None:
            headers["Retry-After"] = str(max(1, round(provider_error.retry_after)))
    body = ErrorBody(
        message=exc.message if not isinstance(exc, AllProvidersFailedError) else str(exc),
        type=err_type,
        code=code,
        param=exc.param,
    )
    return ErrorEnvelope(error=body), status, headers


def gateway_error_handler(request: Request[Any, Any, Any], exc: GatewayError) -> Response[ErrorEnvelope]:
    envelope, status, headers = envelope_for(exc)
    return Response(envelope, status_code=status, headers=headers)


def validation_error_handler(request: Request[Any, Any, Any], exc: ValidationException) -> Response[ErrorEnvelope]:
    """Litestar's body/query validation: name the field, as msgspec located it."""
    message, param = str(exc.detail), None
    for item in exc.extra if isinstance(exc.extra, list) else []:
        if isinstance(item, dict) and item.get("message"):
            message, param = str(item["message"]), _param_of(item)
            break
    body = ErrorBody(message=message, type="invalid_request_error", code="invalid_request", param=param)
    return Response(ErrorEnvelope(error=body), status_code=400)


def _param_of(item: dict[str, Any]) -> str | None:
    """Litestar's `key` is msgspec's path (`messages[0].role`), or `data` for the body's top level;
    a missing or unknown field is named in the message instead."""
    key = str(item.get("key") or "")
    path = "" if key == "data" else key
    field = _FIELD_IN_MESSAGE.search(str(item["message"]))
    if field:
        path = f"{path}.{field.group(1)}" if path else field.group(1)
    return path or None


def http_error_handler(request: Request[Any, Any, Any], exc: HTTPException) -> Response[ErrorEnvelope]:
    status = exc.status_code
    code = {404: "not_found", 405: "method_not_allowed", 413: "request_too_large"}.get(status, "http_error")
    body = ErrorBody(message=str(exc.detail), type=_TYPE_BY_STATUS.get(status, "api_error"), code=code)
    return Response(ErrorEnvelope(error=body), status_code=status, headers=exc.headers or None)


def unexpected_error_handler(request: Request[Any, Any, Any], exc: Exception) -> Response[ErrorEnvelope]:
    request_id = request.scope.get("state", {}).get("request_id", "-")
    log.error("unhandled error in request %s", request_id, exc_info=exc)
    body = ErrorBody(
        message=f"Internal error; quote request id {request_id} when reporting it",
        type="api_error",
        code="internal_error",
    )
    return Response(ErrorEnvelope(error=body), status_code=500)


EXCEPTION_HANDLERS: dict[type[Exception], Any] = {
    GatewayError: gateway_error_handler,
    ValidationException: validation_error_handler,
    HTTPException: http_error_handler,
    Exception: unexpected_error_handler,
}
