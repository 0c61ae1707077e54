"""Every error the gateway can answer with; the HTTP layer maps each class to a status once."""

from __future__ import annotations

from enum import StrEnum
from typing import ClassVar


class GatewayError(Exception):
    """Base of all expected failures. `code` is the OpenAI-style error code."""

    code: ClassVar[str] = "gateway_error"
    type: ClassVar[str] = "api_error"

    def __init__(self, message: str, *, param: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.param = param


class InvalidRequestError(GatewayError):
    code = "invalid_request"
    type = "invalid_request_error"


class UnsupportedFeatureError(InvalidRequestError):
    """A request field that the chosen vendor cannot honour: refused, never silently dropped."""

    code = "unsupported_parameter"


class AuthenticationError(GatewayError):
    code = "invalid_api_key"
    type = "authentication_error"


class PermissionDeniedError(GatewayError):
    code = "permission_denied"
    type = "permission_error"


class NotFoundError(GatewayError):
    code = "not_found"
    type = "invalid_request_error"


class ModelNotFoundError(NotFoundError):
    code = "model_not_found"


class ConflictError(GatewayError):
    code = "conflict"
    type = "invalid_request_error"


class ServiceUnavailableError(GatewayError):
    code = "service_unavailable"
    type = "api_error"


class ProviderErrorKind(StrEnum):
    RATE_LIMITED = "rate_limited"
    OVERLOADED = "overloaded"
    TIMEOUT = "timeout"
    CONNECTION = "connection"
    AUTH = "auth"
    BAD_REQUEST = "bad_request"
    CONTEXT_LENGTH = "context_length"
    CONTENT_FILTER = "content_filter"
    NOT_FOUND = "not_found"
    SERVER = "server"


class ProviderError(GatewayError):
    """One vendor call failed. The message is the vendor's, with secrets already removed."""

    code = "provider_error"
    type = "api_error"

    def __init__(
        self,
        message: str,
        *,
        provider: str,
        kind: ProviderErrorKind,
        status: int | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.provider = provider
        self.kind = kind
        self.status = status
        self.retry_after = retry_after


class AllProvidersFailedError(GatewayError):
    """Every target of the route failed; `errors` holds each attempt's failure in order."""

    code = "upstream_error"
    type = "api_error"

    def __init__(self, errors: list[ProviderError]) -> None:
        last = errors[-1]
        super().__init__(f"{last.provider}: {last.message}")
        self.errors = errors

    @property
    def last(self) -> ProviderError:
        return self.errors[-1]
