"""Weighted splits: a share of a route's traffic goes to another target (A/B tests of models)."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from domain.catalog import Target


def split_roll(key: str) -> float:
    """A stable number in [0, 1) for `key`: the same customer always lands on the same side of a
    split, and a request without a customer (keyed by its request id) lands anywhere."""
    digest = hashlib.sha256(key.encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def apply_split(targets: Sequence[Target], roll: float) -> tuple[Target, ...]:
    """Targets with a weight share the first place in proportion to their weights (`roll` picks
    one); the others follow in their listed order, so every target stays a fallback. With no
    weights the order is the route's own."""
    if not 0.0 <= roll < 1.0:
        raise ValueError("roll must be in [0, 1)")
    weighted = [t for t in targets if t.weight > 0]
    if not weighted:
        return tuple(targets)
    point = roll * sum(t.weight for t in weighted)
    for target in weighted:
        point -= target.weight
        if point < 0:
            break
    return (target, *(t for t in targets if t is not target))
