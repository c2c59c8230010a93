"""What the UI and the runner know about an optimizer: its spec, and the one registry of optimizers.

An optimizer is one step function plus one :func:`register` call (used as a decorator on that
function). The registry entry holds everything else: the :class:`OptimizerSpec` the UI reads, the
names of the state arrays the step keeps, and the LaTeX symbols of the quantities ``trace`` records.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

Array = np.ndarray
# A hyperparameter value as the step sees it: a Python scalar (bool, int, float, str) or a contiguous
# float array of the positions' shape ``(*batch, 2)``, each run's value repeated along the last axis.
Value = Any
Params = dict[str, Value]
State = dict[str, Array]
# step(p, s, x, g, lr, t): ``x`` holds θ_{t-1} on entry and θ_t on return (updated in place, after every
# read of θ_{t-1}); ``g`` is the gradient (read-only: it may be the gradient callable's own array).
# Update the state ``s`` in place, allocation-free where it can.
StepFn = Callable[[Params, State, Array, Array, Value, int], None]
# extras(p, s, lr, t): trace-only quantities derived from the state after step t (e.g. m̂, v̂).
ExtrasFn = Callable[[Params, State, Value, int], dict[str, Array]]
InitFn = Callable[[Params, tuple[int, ...]], State]


@dataclass(frozen=True)
class HyperParam:
    """One hyperparameter, enough for the UI to build a control for it.

    Attributes:
        name: keyword accepted by :func:`optimizers.run`.
        symbol: its mathematical symbol ("η", "β₁", "ε", "μ", …).
        default: the value used when the keyword is not given.
        low, high: inclusive slider range (``None`` for bool/choice). The slider range is a
            suggestion for the UI; the values ``run`` accepts are checked separately (see
            ``optimizers.transforms.DOMAINS``).
        log: whether the slider moves on a log scale.
        help: one or two sentences of help text.
        kind: ``"float"``, ``"int"``, ``"bool"`` or ``"choice"``.
        choices: the options of a ``"choice"`` parameter.
    """

    name: str
    symbol: str
    default: float | int | bool | str
    low: float | None
    high: float | None
    log: bool
    help: str
    kind: str = "float"
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class OptimizerSpec:
    """Everything the UI shows about one optimizer without knowing its maths.

    Attributes:
        name: registry key.
        label: human name, e.g. "Adam".
        description: one paragraph: what it does, when to use it, pros and cons.
        latex: the update rule, LaTeX for ``st.latex`` (no ``$$``).
        hyperparameters: the optimizer's own hyperparameters, ``lr`` first.
        family: e.g. "first-order", "adaptive + momentum", "second-order".
        keeps: the state it keeps between steps.
        pros, cons: short phrases.
        best_for: one phrase.
        pytorch: the ``torch.optim`` class it reproduces exactly, or ``None`` for textbook forms.
        needs_hessian: whether ``run`` needs ``hess=``.
    """

    name: str
    label: str
    description: str
    latex: str
    hyperparameters: tuple[HyperParam, ...]
    family: str
    keeps: str
    pros: tuple[str, ...]
    cons: tuple[str, ...]
    best_for: str
    pytorch: str | None
    needs_hessian: bool = False

    def hyperparameter(self, name: str) -> HyperParam:
        """The hyperparameter called ``name`` (``KeyError`` if there is none)."""
        for hp in self.hyperparameters:
            if hp.name == name:
                return hp
        raise KeyError(name)

    @property
    def defaults(self) -> dict[str, float | int | bool | str]:
        """``{name: default}`` of the optimizer's own hyperparameters."""
        return {hp.name: hp.default for hp in self.hyperparameters}


@dataclass(frozen=True)
class Optimizer:
    """A registry entry: the spec plus the code.

    Attributes:
        spec: what the UI shows.
        step: the update (see ``StepFn``).
        state: names of the state arrays, created as zeros of the positions' shape unless ``init``
            is given. Names starting with ``_`` are scratch buffers or internally scaled copies of a
            quantity (e.g. ``_m`` = m/(1-β₁)) that ``trace`` does not record; the true quantity then
            comes from ``extras``.
        symbols: ``{trace key: LaTeX symbol}`` for the optimizer's own trace quantities, in display order.
        extras: optional trace-only quantities derived from the state (never used by ``run``).
        init: optional custom state initializer.
    """

    spec: OptimizerSpec
    step: StepFn
    state: tuple[str, ...]
    symbols: dict[str, str]
    extras: ExtrasFn | None = None
    init: InitFn | None = None

    def new_state(self, p: Params, shape: tuple[int, ...]) -> State:
        """Fresh state for positions of ``shape``."""
        if self.init is not None:
            return self.init(p, shape)
        return {key: np.zeros(shape) for key in self.state}


REGISTRY: dict[str, Optimizer] = {}


class UnknownOptimizerError(KeyError, ValueError):
    """An optimizer name that is not in the registry (both a ``KeyError`` and a ``ValueError``)."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


def register(
    spec: OptimizerSpec,
    *,
    state: tuple[str, ...] = (),
    symbols: dict[str, str] | None = None,
    extras: ExtrasFn | None = None,
    init: InitFn | None = None,
) -> Callable[[StepFn], StepFn]:
    """Decorator: register the decorated step function under ``spec.name``."""

    def decorate(step: StepFn) -> StepFn:
        if spec.name in REGISTRY:
            raise RuntimeError(f"two optimizers share the key {spec.name!r}")
        if not spec.hyperparameters or spec.hyperparameters[0].name != "lr":
            raise RuntimeError(f"{spec.name}: the first hyperparameter must be lr")
        REGISTRY[spec.name] = Optimizer(spec, step, state, dict(symbols or {}), extras, init)
        return step

    return decorate


def get(name: str) -> Optimizer:
    """The registry entry for ``name``; raises :class:`UnknownOptimizerError` listing the known names."""
    try:
        return REGISTRY[name]
    except (KeyError, TypeError):
        raise UnknownOptimizerError(f"unknown optimizer {name!r}; known: {sorted(REGISTRY)}") from None
