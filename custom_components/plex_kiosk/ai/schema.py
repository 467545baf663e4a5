"""The part of JSON Schema the prompts use (object, array, string, number, integer, boolean,
enum, required, bounds), checked on the model's answer: the first error, said plainly, is
quoted back to the model in the one retry."""

from __future__ import annotations

from typing import Any

_TYPES: dict[str, tuple[type, ...]] = {
    "object": (dict,),
    "array": (list,),
    "string": (str,),
    "number": (int, float),
    "integer": (int,),
    "boolean": (bool,),
}


def error(value: Any, schema: dict[str, Any], path: str = "$") -> str | None:
    """Why ``value`` does not follow ``schema`` (None: it does)."""
    kind = schema.get("type")
    if kind is not None:
        wrong_bool = isinstance(value, bool) and kind != "boolean"  # bool is an int in Python
        if not isinstance(value, _TYPES[kind]) or wrong_bool:
            return f"{path} must be {kind}"
    if "enum" in schema and value not in schema["enum"]:
        return f"{path} must be one of {', '.join(map(str, schema['enum']))}"
    if isinstance(value, int | float) and not isinstance(value, bool):
        if "minimum" in schema and value < schema["minimum"]:
            return f"{path} must be at least {schema['minimum']}"
        if "maximum" in schema and value > schema["maximum"]:
            return f"{path} must be at most {schema['maximum']}"
    if isinstance(value, str) and len(value) > schema.get("maxLength", len(value)):
        return f"{path} must be at most {schema['maxLength']} characters"
    if isinstance(value, list):
        if len(value) > schema.get("maxItems", len(value)):
            return f"{path} must have at most {schema['maxItems']} items"
        items = schema.get("items", {})
        return next(
            (e for i, v in enumerate(value) if (e := error(v, items, f"{path}[{i}]"))), None
        )
    if isinstance(value, dict):
        missing = [key for key in schema.get("required", ()) if key not in value]
        if missing:
            return f"{path} lacks {', '.join(missing)}"
        properties = schema.get("properties", {})
        return next(
            (
                e
                for k, v in value.items()
                if k in properties and (e := error(v, properties[k], f"{path}.{k}"))
            ),
            None,
        )
    return None
