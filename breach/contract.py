"""The contract's validators without pydantic's Python layer, for a fast ``breach assess``.

pydantic turns each model of :mod:`breach.model` into a *core schema* (plain data) and
gives it to pydantic-core, whose ``SchemaValidator`` does the validating. Importing
pydantic and building the models costs most of a short command's run time, so the core
schemas of ``Facts`` and ``Decision`` are kept in the user cache (:mod:`breach.rulecache`)
as data: the model classes in them replaced by :class:`Record`, their checks being plain
functions of :mod:`breach.vocabulary`. A command that finds them validates exactly as the
models do (same schema, same errors) and serialises the Decision exactly as
``Decision.dump`` does, importing only pydantic-core.

The records have the models' fields as attributes and nothing else: the engine and the
plain-text renderer read nothing more.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

#: The models whose validators are cached.
MODELS = ("Facts", "Decision")


class UnportableSchema(ValueError):
    """A model's core schema refers to something that cannot be cached (e.g. a method)."""


class Record:
    """An instance of a contract model, made by a cached validator: its fields, read-only
    in spirit, as attributes."""

    __slots__ = (
        "__dict__",
        "__pydantic_fields_set__",
        "__pydantic_extra__",
        "__pydantic_private__",
    )

    def __repr__(self) -> str:
        fields = ", ".join(f"{k}={v!r}" for k, v in self.__dict__.items())
        return f"Record({fields})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Record) and self.__dict__ == other.__dict__

    __hash__ = None  # type: ignore[assignment]


class Validators:
    """The cached validators of Facts and Decision, and the Decision's serialiser."""

    def __init__(self, schemas: dict[str, Any]) -> None:
        from pydantic_core import SchemaSerializer, SchemaValidator

        self._facts = SchemaValidator(schemas["Facts"])
        self._decision = SchemaValidator(schemas["Decision"])
        self._serializer = SchemaSerializer(schemas["Decision"])

    def facts(self, data: dict[str, Any]) -> Any:
        """Validate facts data as ``Facts.model_validate`` does (raises ``ValidationError``)."""
        return self._facts.validate_python(data)

    def decision(self, data: dict[str, Any]) -> Any:
        """Validate the engine's decision data as ``Decision.model_validate`` does."""
        return self._decision.validate_python(data)

    def dump_decision(self, decision: Any) -> Any:
        """The Decision as JSON-ready data, exactly as ``Decision.dump`` gives it."""
        return self._serializer.to_python(decision, mode="json", by_alias=True)


def portable_schemas() -> dict[str, Any]:
    """The core schemas of :data:`MODELS`, made cacheable (needs pydantic; see module doc)."""
    from pydantic import BaseModel

    from . import model

    schemas = {}
    for name in MODELS:
        cls: type[BaseModel] = getattr(model, name)
        cls.model_rebuild()  # the models are deferred: build the schema now
        schemas[name] = _portable(cls.__pydantic_core_schema__, (name,), BaseModel)
    return schemas


def _portable(value: Any, where: tuple[str, ...], base: type) -> Any:
    """A copy of ``value`` with model classes as :class:`Record` and no metadata."""
    if isinstance(value, dict):
        return {
            key: _portable(item, (*where, str(key)), base)
            for key, item in value.items()
            if key != "metadata"  # pydantic's JSON-schema hooks: closures, never validation
        }
    if isinstance(value, list | tuple):
        return type(value)(_portable(item, where, base) for item in value)
    if isinstance(value, type) and issubclass(value, base):
        return Record
    if value in (list, dict) or value is None or isinstance(value, str | int | float | bool):
        return value
    if callable(value) and _is_plain_function(value):
        return value
    raise UnportableSchema(f"{'.'.join(where)}: {value!r} cannot be cached")


def _is_plain_function(value: Callable[..., Any]) -> bool:
    """A module-level function of breach.vocabulary (pickled by name, no pydantic needed)."""
    return getattr(value, "__module__", "") == "breach.vocabulary" and getattr(
        value, "__qualname__", ""
    ) == getattr(value, "__name__", None)


def cached_validators() -> Validators | None:
    """The validators from the cache, or None (no cache yet, or caching is off)."""
    from pydantic_core import SchemaError

    from . import rulecache

    schemas = rulecache.read_contract() if rulecache.enabled() else None
    if schemas is None:
        return None
    try:
        return Validators(schemas)
    except (SchemaError, KeyError, TypeError):
        return None


def remember() -> None:
    """Cache this installation's contract schemas, so the next command starts fast."""
    from . import rulecache

    if rulecache.enabled():
        rulecache.write_contract(portable_schemas())
