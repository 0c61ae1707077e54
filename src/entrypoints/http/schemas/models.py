"""`GET /v1/models` answer shapes."""

from __future__ import annotations

from typing import Literal

import msgspec


class ModelOut(msgspec.Struct):
    id: str
    created: int = 0
    owned_by: str = "llm-gateway"
    object: Literal["model"] = "model"


class ModelList(msgspec.Struct):
    data: list[ModelOut]
    object: Literal["list"] = "list"
