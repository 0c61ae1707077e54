"""`IntegrityError` → domain error, keyed by constraint name (Postgres names it; SQLite names columns)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager

from sqlalchemy import PrimaryKeyConstraint, UniqueConstraint
from sqlalchemy.exc import IntegrityError

from adapters.sql.models import METADATA
from domain.errors import GatewayError

# SQLite says "FOREIGN KEY constraint failed" without naming the key: this stands in for its name.
SQLITE_FOREIGN_KEY = "<sqlite foreign key>"

ConstraintErrors = Mapping[str, Callable[[], GatewayError]]


def _sqlite_unique_names() -> dict[str, str]:
    """SQLite reports `UNIQUE constraint failed: t.a, t.b`: map each such column list to its constraint."""
    names: dict[str, str] = {}
    for table in METADATA.tables.values():
        for constraint in table.constraints:
            if isinstance(constraint, UniqueConstraint | PrimaryKeyConstraint) and isinstance(constraint.name, str):
                columns = ", ".join(f"{table.name}.{column.name}" for column in constraint.columns)
                names[columns] = constraint.name
    return names


_SQLITE_UNIQUE = _sqlite_unique_names()


def constraint_name(exc: IntegrityError) -> str | None:
    """The name of the violated constraint, when the driver tells."""
    driver_error = exc.orig.__cause__ if exc.orig is not None else None  # asyncpg's own exception
    name = getattr(driver_error, "constraint_name", None)
    if isinstance(name, str):
        return name
    message = str(exc.orig)
    if message.startswith("UNIQUE constraint failed: "):
        return _SQLITE_UNIQUE.get(message.removeprefix("UNIQUE constraint failed: "))
    if message.startswith("FOREIGN KEY constraint failed"):
        return SQLITE_FOREIGN_KEY
    return None


@contextmanager
def translate_integrity(errors: ConstraintErrors) -> Iterator[None]:
    """Re-raise a known constraint violation as its domain error; anything else as it came."""
    try:
        yield
    except IntegrityError as exc:
        make = errors.get(constraint_name(exc) or "")
        if make is None:
            raise
        raise make() from exc
