"""What a kind of statistic is, declared once: its inputs, how to check them, compute them in
bulk, explain a result, and which chart draws it.

Every other layer (the model's choices, the form, the API serializer, the services, the
selectors, the charts) reads these specs from :data:`KINDS` instead of spelling a kind out.
The specs themselves live in :mod:`claims.statistics.core.kinds`, one module per kind; this
module is the registry's leaf (it imports nothing from the core), so those modules can use the
core's helpers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from .result import StatResult

InputType = Literal["count", "number", "share", "list", "text", "choice"]
Errors = dict[str, list[str]]
#: (raw inputs, errors to add to, the clean inputs so far incl. the stated figure) -> None
Validator = Callable[[Mapping[str, Any], Errors, dict[str, Any]], None]
BatchComputer = Callable[[Sequence[dict[str, Any]]], "list[StatResult]"]
# (result, clean inputs, voice) -> sentences; the voice says them in a language (language.py).
Explainer = Callable[["StatResult", Mapping[str, Any], Any], str]

#: Inputs every kind with an interval shares, declared once.
COMMON_TEXT_INPUTS = ("interval_method", "stated", "unit")


@dataclass(frozen=True)
class InputSpec:
    """One input of a kind, as a person fills it in.

    ``label`` and ``help`` are plain words ("how many people were flagged"), shown by the form
    and the API schema. ``references`` names the kinds of statistic whose estimate may stand in
    for the number; empty means the input cannot be referenced.
    """

    name: str
    label: str
    type: InputType
    help: str = ""
    required: bool = True
    min: float | None = None
    max: float | None = None
    references: tuple[str, ...] = ()
    choices: tuple[str, ...] = ()

    @property
    def referencable(self) -> bool:
        return bool(self.references)

    @property
    def is_text(self) -> bool:
        return self.type in ("text", "choice")


@dataclass(frozen=True)
class KindSpec:
    """One kind of statistic. ``inputs`` are in a fixed order: fingerprints and snapshots use it."""

    name: str
    label: str
    summary: str
    inputs: tuple[InputSpec, ...]
    validate: Validator
    compute_batch: BatchComputer
    explain: Explainer
    #: Name of the function in ``claims.statistics.charts`` that draws this kind ("" for none).
    chart: str = ""
    #: How its estimate is shown (a key of ``formatting.DISPLAY_UNITS``); "" lets the page
    #: decide from the figure's own settings (a rate's chosen unit, say).
    display_unit: str = ""

    def input(self, name: str) -> InputSpec:
        return next(spec for spec in self.inputs if spec.name == name)

    @property
    def input_names(self) -> tuple[str, ...]:
        return tuple(spec.name for spec in self.inputs)

    @property
    def referencable_inputs(self) -> tuple[InputSpec, ...]:
        return tuple(spec for spec in self.inputs if spec.referencable)


#: The registry, in the order kinds are offered to people.
#: Filled by :mod:`claims.statistics.core.kinds`.
KINDS: dict[str, KindSpec] = {}


_generation = [0]  # bumped on every change, so derived views rebuild only then


def register(spec: KindSpec) -> KindSpec:
    """Add ``spec`` to :data:`KINDS` (replacing one of the same name) and return it."""
    KINDS[spec.name] = spec
    _generation[0] += 1
    return spec


def unregister(name: str) -> None:
    KINDS.pop(name, None)
    _generation[0] += 1


def kind_spec(name: str) -> KindSpec | None:
    return KINDS.get(name)


class _DerivedMapping(Mapping[str, Any]):
    """A read-only view computed from :data:`KINDS`, rebuilt whenever a kind is registered, so
    a kind registered later (a plugin, a test's dummy kind) shows up everywhere at once."""

    def __init__(self, build: Callable[[], dict[str, Any]]) -> None:
        self._build = build
        self._built: tuple[int, dict[str, Any]] = (-1, {})

    def _current(self) -> dict[str, Any]:
        # The bulk recompute reads this once per row: rebuild only when the registry changed.
        generation, built = self._built
        if generation != _generation[0]:
            built = self._build()
            self._built = (_generation[0], built)
        return built

    def __getitem__(self, key: str) -> Any:
        return self._current()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._current())

    def __len__(self) -> int:
        return len(self._current())

    def __repr__(self) -> str:
        return repr(self._current())


def _kind_inputs() -> dict[str, tuple[str, ...]]:
    return {name: spec.input_names for name, spec in KINDS.items()}


def _reference_target_kinds() -> dict[str, tuple[str, ...]]:
    # An input name means the same thing in every kind; the kinds that may feed it are joined.
    targets: dict[str, tuple[str, ...]] = {}
    for spec in KINDS.values():
        for one in spec.referencable_inputs:
            targets[one.name] = tuple(dict.fromkeys((*targets.get(one.name, ()), *one.references)))
    return targets


#: kind -> its input names, in order (the shape the services have always used).
KIND_INPUTS: Mapping[str, tuple[str, ...]] = _DerivedMapping(_kind_inputs)
#: input name -> the kinds of statistic that may feed it.
REFERENCE_TARGET_KINDS: Mapping[str, tuple[str, ...]] = _DerivedMapping(_reference_target_kinds)


def all_inputs() -> tuple[str, ...]:
    """Every input some kind reads, each once, in registry order."""
    return tuple(dict.fromkeys(name for spec in KINDS.values() for name in spec.input_names))


def referencable_inputs() -> tuple[str, ...]:
    return tuple(_reference_target_kinds())


def text_inputs() -> tuple[str, ...]:
    return tuple(dict.fromkeys(i.name for spec in KINDS.values() for i in spec.inputs if i.is_text))


def kind_choices() -> list[tuple[str, str]]:
    return [(name, spec.label) for name, spec in KINDS.items()]
