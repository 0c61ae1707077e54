"""The one table from error to HTTP status: the API answers with it and the usage log keeps it."""

from __future__ import annotations

from domain.errors import (
    AllProvidersFailedError,
    AuthenticationError,
    ConflictError,
    GatewayError,
    InvalidRequestError,
    NotFoundError,
    PermissionDeniedError,
    ProviderError,
    ProviderErrorKind,
    ServiceUnavailableError,
)

STATUS_BY_KIND: dict[ProviderErrorKind, int] = {
    ProviderErrorKind.RATE_LIMITED: 429,
    ProviderErrorKind.OVERLOADED: 503,
    ProviderErrorKind.TIMEOUT: 504,
    ProviderErrorKind.CONNECTION: 502,
    ProviderErrorKind.AUTH: 502,  # our vendor key failed: not the caller's fault
    ProviderErrorKind.BAD_REQUEST: 400,
    ProviderErrorKind.CONTEXT_LENGTH: 400,
    ProviderErrorKind.CONTENT_FILTER: 400,
    ProviderErrorKind.NOT_FOUND: 502,  # the route names a model the vendor lacks: our config
    ProviderErrorKind.SERVER: 502,
}

STATUS_BY_ERROR: tuple[tuple[type[GatewayError], int], ...] = (
    (InvalidRequestError, 400),
    (AuthenticationError, 401),
    (PermissionDeniedError, 403),
    (NotFoundError, 404),
    (ConflictError, 409),
    (ServiceUnavailableError, 503),
)


def status_of(error: GatewayError) -> int:
    if isinstance(error, AllProvidersFailedError):
        error = error.last
    if isinstance(error, ProviderError):
        return STATUS_BY_KIND.get(error.kind, 502)
    return next((status for kind, status in STATUS_BY_ERROR if isinstance(error, kind)), 500)
