"""``dump_json``: strict JSON for the CLI's ``--json`` outputs (NaN/inf → null, NumPy scalars as numbers,
schedules as ``{class_name, config}``)."""

from __future__ import annotations

import json
import math


def _json_default(value):
    if hasattr(value, "item"):
        return value.item()
    if hasattr(value, "get_config"):  # a learning-rate schedule: Keras's serialized form
        return {"class_name": type(value).__name__, "config": value.get_config()}
    raise TypeError(f"cannot serialise {value!r}")


def _strict(value):
    """``value`` with every NaN/±inf float replaced by ``None`` (strict JSON has no NaN)."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _strict(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_strict(v) for v in value]
    return value


def dump_json(value, **kwargs) -> str:
    """Strict JSON (non-finite numbers become null), NumPy scalars as Python numbers."""
    plain = json.loads(json.dumps(value, default=_json_default))
    return json.dumps(_strict(plain), allow_nan=False, **kwargs)
