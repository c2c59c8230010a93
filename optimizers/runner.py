"""``run`` and ``trace``: the time loop, broadcasting, divergence masking and path recording.

The loop is written once (:func:`_loop`) and used by both, so a trace is numerically identical to a
run. Per step t = 1..steps:

1. ``g = grad(θ_{t-1})`` (copied into a buffer the runner owns when a transform changes it, or when it
   is not a float64 array of the positions' shape; steps never write into ``g``);
2. noise, ``clip_value`` and ``clip_norm`` are applied to it (see ``transforms.GradientTransforms``);
3. the scheduled learning rate ``η_t = lr_at(t - 1)`` is computed (the scheduler steps after each
   optimizer step, as in PyTorch);
4. the optimizer's step updates its state and θ in place: θ lives in one working buffer the runner
   owns (cache-resident, so the in-place updates are fast), which is then copied into row t of the
   path. The gradient callable gets that buffer; if the array it returns shares memory with it, the
   gradient is copied into the runner's own buffer first.

Divergence: a run has diverged at the first row whose position is non-finite or has a coordinate
with ``|θ| > DIVERGENCE_LIMIT`` (1e12). From that row on, its rows are NaN (row 0 included, if ``x0``
itself is such a point). Other runs are untouched: every operation is per run. The loop runs under
``np.errstate(all="ignore")`` (including the gradient callable), so no NumPy warning escapes. Each new
position is bounded in one pass while it is in cache (``Σθ² ≤ 1e24``, see :class:`_Bound`); rows are
masked in blocks of ``_BLOCK`` steps, exactly, only when a row failed that bound or a run is dead, so
that masking costs O(batch·block) memory, not O(path).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .spec import Array, Optimizer, Params, State, get
from .transforms import GradientTransforms, is_scalar, prepare, schedule

DIVERGENCE_LIMIT = 1e12
_LIMIT2 = DIVERGENCE_LIMIT**2
_BLOCK = 8
_DOT_CHUNK = 10_000  # OpenBLAS computes dot products of up to 10,000 elements on one thread

GradFn = Callable[[Array], Array]
# (ĝ_t, the gradient before clipping; clip_grad_norm_'s factor, or None when clipping by norm is off)
Clip = tuple[Array, Array | None]
# record(t, θ_{t-1}, g_t, η_t, state, θ_t, clip): clip is None for a run that does not clip.
Recorder = Callable[[int, Array, Array, Any, State, Array, Clip | None], None]

# Trace keys every optimizer records, with their symbols (the optimizer's own keys go between
# "lr" and "update").
_COMMON_BEFORE = {
    "position": r"\theta_{t-1}",
    "preclip": r"\hat g_t",
    "clip_factor": r"\min\left(1, \frac{c}{\|g'_t\| + 10^{-6}}\right)",
    "gradient": r"g_t",
    "lr": r"\eta_t",
}
_COMMON_AFTER = {"update": r"\Delta\theta_t", "next": r"\theta_t"}


def _check_inputs(entry: Optimizer, x0: Any, steps: Any, hess: Any) -> tuple[Array, int]:
    x = np.array(x0, dtype=float)  # a copy: the caller's array is never touched
    if x.ndim == 0 or x.shape[-1] < 1:
        raise ValueError(f"x0 must have shape (..., 2), got {x.shape}")
    if entry.spec.needs_hessian and x.shape[-1] != 2:
        raise ValueError(f"{entry.spec.name}: x0 must have shape (..., 2), got {x.shape}")
    if isinstance(steps, (bool, np.bool_)) or not isinstance(steps, (int, np.integer)) or steps < 0:
        raise ValueError(f"steps must be a non-negative integer, got {steps!r}")
    if entry.spec.needs_hessian and not callable(hess):
        raise ValueError(f"{entry.spec.name}: needs hess=, a callable (..., 2) -> (..., 2, 2)")
    return x, int(steps)


def _mask_rows(path: Array, start: int, stop: int, dead: Array, clean: bool = False) -> Array | None:
    """NaN every row in ``path[start:stop]`` of runs that were dead before or turn bad in it.

    ``clean`` says the caller has already checked that every coordinate in these rows is within the
    limit (see :class:`_Bound`). Updates ``dead`` in place and returns the mask of the runs that died
    in this block, or ``None`` when none did.
    """
    block = path[start:stop]
    if block.size == 0:
        return None
    if not dead.any() and (clean or (block.max() <= DIVERGENCE_LIMIT and block.min() >= -DIVERGENCE_LIMIT)):
        return None  # the common case (NaN propagates through max/min and fails)
    with np.errstate(invalid="ignore"):
        ok_coord = np.abs(block) <= DIVERGENCE_LIMIT  # NaN fails the comparison
    ok = ok_coord[..., 0].copy()
    for j in range(1, block.shape[-1]):  # faster than .all(-1) over a short axis
        ok &= ok_coord[..., j]
    bad = np.logical_not(ok, out=ok)
    bad |= dead
    np.logical_or.accumulate(bad, axis=0, out=bad)
    np.copyto(block, np.nan, where=bad[..., None])
    newly = bad[-1] & ~dead[0]
    dead |= bad[-1]
    return newly if newly.any() else None


_PER_STEP_MIN = 4096  # elements of θ from which the per-step bound pays for its Python overhead


class _Bound:
    """``bound()``: whether every coordinate of ``x`` is finite and within ±DIVERGENCE_LIMIT (or may not be).

    One pass while ``x`` is in cache: ``Σθ² ≤ limit²`` implies ``|θ| ≤ limit`` for every coordinate,
    and is False for NaN and inf (rounding a sum of non-negative terms is monotone, so it never
    hides a coordinate beyond the limit). ``False`` only means "check exactly". ``np.dot`` is called
    on pieces of at most ``_DOT_CHUNK`` elements: OpenBLAS runs longer dot products on several
    threads, and its threads then spin, burning CPU time that the single-threaded loop never gets
    back.
    """

    def __init__(self, x: Array) -> None:
        flat = x.reshape(-1)
        self.pieces = [flat[i : i + _DOT_CHUNK] for i in range(0, flat.size, _DOT_CHUNK)]

    def __call__(self) -> bool:
        dot = np.dot
        total = 0.0
        for piece in self.pieces:
            total += dot(piece, piece)
        return total <= _LIMIT2


def _loop(
    entry: Optimizer,
    grad: GradFn,
    x0: Array,
    steps: int,
    p: Params,
    hess: GradFn | None,
    record: Recorder | None = None,
) -> Array:
    shape = x0.shape
    path = np.empty((steps + 1, *shape))
    path[0] = x0
    state = entry.new_state(p, shape)
    # θ lives in one cache-resident working buffer that each step updates in place; it is then copied
    # into its (fresh) path row. Writing each step's result straight into path[t] costs more.
    work = np.array(x0, dtype=float, order="C")
    g_own = np.empty(shape)
    transforms = GradientTransforms.build(p, shape)
    transform = transforms.active
    before_clip = np.empty(shape) if record is not None and transforms.clips else None
    factor = None
    lr_at = schedule(p)
    dead = np.zeros((1, *shape[:-1]), dtype=bool)
    needs_hessian = entry.spec.needs_hessian
    step = entry.step
    checked = 0  # rows before this index are masked
    bound = _Bound(work)
    # Small batches (the app's single runs): a per-step bound costs more Python than the block's exact
    # max/min check it would save.
    per_step = work.size >= _PER_STEP_MIN
    with np.errstate(all="ignore"):
        if _mask_rows(path, 0, 1, dead) is not None:
            work[dead[0]] = np.nan
        any_dead = bool(dead.any())
        checked = 1
        clean = True  # every row since ``checked`` passed the one-pass bound
        usable = None  # the last array from grad that the steps may read as it is
        for t in range(1, steps + 1):
            g = grad(work)
            if g is not usable or g.shape != shape:
                if (
                    transform
                    or type(g) is not np.ndarray
                    or g.dtype != np.float64
                    or g.shape != shape
                    or np.may_share_memory(g, work)  # e.g. grad = lambda p: p: the step changes work
                ):
                    np.copyto(g_own, g)
                    g = g_own
                    factor = transforms.apply_(g, before_clip)
                else:
                    usable = g
            lr = lr_at(t - 1)
            if needs_hessian:
                h = np.asarray(hess(work), dtype=float)
                if np.may_share_memory(h, work):
                    h = h.copy()
                state["hessian"] = np.broadcast_to(h, (*shape, shape[-1]))
            if record is not None:
                g_used = g.copy()
                x_prev = work.copy()
            step(p, state, work, g, lr, t)
            path[t] = work
            if not per_step:
                clean = False
            elif clean and not any_dead:
                clean = bound()  # while work is in cache; with a dead run the block is checked exactly anyway
            if record is not None:
                clip = None
                if before_clip is not None:
                    clip = (before_clip.copy(), None if factor is None else np.array(factor, dtype=float))
                record(t, x_prev, g_used, lr, state, path[t], clip)
            if t - checked + 1 >= _BLOCK or t == steps:
                newly_dead = _mask_rows(path, checked, t + 1, dead, clean)
                if newly_dead is not None:
                    work[newly_dead] = np.nan  # a dead run goes on from NaN, as its path row says
                    any_dead = True
                checked = t + 1
                clean = True
    return path


def run(name: str, grad: GradFn, x0: Any, steps: int, *, hess: GradFn | None = None, **hyperparameters: Any) -> Array:
    """Run optimizer ``name`` from ``x0`` for ``steps`` steps and return the whole path.

    Args:
        name: a registry key (see :func:`optimizers.names`).
        grad: maps points ``(..., 2)`` to gradients of the same shape.
        x0: start points, shape ``(*batch, 2)``: any batch of independent runs.
        steps: number of steps.
        hess: for optimizers that need curvature (``newton``): points ``(..., 2)`` -> ``(..., 2, 2)``.
            Ignored by the others.
        **hyperparameters: the optimizer's own (see ``spec(name).hyperparameters``; Adam-family
            optimizers also take PyTorch's ``betas=(β1, β2)``) and the common transforms
            (``optimizers.COMMON``). Every numeric one may be a scalar or an array broadcastable to
            the batch shape ``x0.shape[:-1]``; flags are plain bools.

    Returns:
        Array of shape ``(steps + 1, *x0.shape)``; row 0 is ``x0``. A run's rows are NaN from the
        first one that is non-finite or has a coordinate beyond ±1e12.

    Raises:
        TypeError: an unknown keyword.
        ValueError: an invalid hyperparameter (the message names it), a bad ``x0``/``steps``, or a
            missing ``hess`` for an optimizer that needs it.
    """
    entry = get(name)
    x, steps = _check_inputs(entry, x0, steps, hess)
    p = prepare(entry, x.shape, hyperparameters)
    return _loop(entry, grad, x, steps, p, hess)


def trace_symbols(name: str) -> dict[str, str]:
    """``{trace key: LaTeX symbol}`` for every quantity ``trace(name, ...)`` may return, in display order.

    Which of the optimizer's own keys appear in a given trace depends on its flags (e.g. ``v_max``
    only with ``amsgrad=True``, ``lookahead`` only with ``nesterov=True``).
    """
    entry = get(name)
    return {**_COMMON_BEFORE, **entry.symbols, **_COMMON_AFTER}


def trace(
    name: str, grad: GradFn, x0: Any, steps: int, *, hess: GradFn | None = None, **hyperparameters: Any
) -> dict[str, Array]:
    """The same run as :func:`run`, recording every intermediate quantity of the rule at each step.

    Returns ``{key: array}`` with leading axis ``steps`` (entry t-1 is step t):

    - ``position``: θ_{t-1}, shape ``(steps, *x0.shape)``;
    - ``preclip`` (only when the run clips): ĝ_t, the gradient after its noise and before clipping;
    - ``clip_factor`` (only when it clips by norm): what ``clip_grad_norm_`` multiplied the gradient by
      (after any clipping by value), min(1, c/(‖g'_t‖ + 10⁻⁶)), shape ``(steps, *batch)``;
    - ``gradient``: the gradient g_t handed to the optimizer: after noise and clipping, before the
      optimizer's own (coupled) weight decay, i.e. what PyTorch holds in ``p.grad`` at ``step()``;
    - ``lr``: the scheduled η_t, shape ``(steps, *batch)``;
    - the optimizer's own state after the step and derived quantities (see :func:`trace_symbols`),
      e.g. ``momentum_buffer``, ``m``, ``v``, ``m_hat``, ``v_hat``, ``v_max``, ``sum``,
      ``effective_lr``, ``lookahead``;
    - ``update``: θ_t − θ_{t-1}; ``next``: θ_t (equal to ``run(...)[1:]``).

    Entries of step t of a run that diverged at or before row t are NaN (``position`` follows the
    path, so it is NaN from step t+1 on).
    """
    entry = get(name)
    x, steps = _check_inputs(entry, x0, steps, hess)
    p = prepare(entry, x.shape, hyperparameters)
    batch = x.shape[:-1]
    own = [k for k in entry.symbols]
    rows: dict[str, list[Array]] = {k: [] for k in ("preclip", "clip_factor", "gradient", "lr", *own)}

    def record(t: int, x_prev: Array, g_used: Array, lr: Any, state: State, x_new: Array, clip: Clip | None) -> None:
        if clip is not None:
            rows["preclip"].append(clip[0])
            if clip[1] is not None:
                rows["clip_factor"].append(clip[1])
        rows["gradient"].append(g_used)
        lr_arr = lr[..., 0] if not is_scalar(lr) else lr  # per-run values repeat along the last axis
        rows["lr"].append(np.broadcast_to(np.asarray(lr_arr, dtype=float), batch).copy())
        values = {k: v for k, v in state.items() if not k.startswith("_")}
        if entry.extras is not None:
            values.update(entry.extras(p, state, lr, t))
        for k in own:
            if k in values:
                rows[k].append(np.array(values[k], dtype=float, copy=True))

    path = _loop(entry, grad, x, steps, p, hess, record)
    out: dict[str, Array] = {"position": path[:-1].copy()}
    dead_after = np.isnan(path[1:]).any(axis=-1)  # (steps, *batch): row t is NaN
    with np.errstate(all="ignore"):
        for k, values in rows.items():
            if not values or len(values) != steps:
                continue
            arr = np.stack(values)
            mask = dead_after.reshape(dead_after.shape + (1,) * (arr.ndim - dead_after.ndim))
            out[k] = np.where(mask, np.nan, arr)
        out["update"] = path[1:] - path[:-1]
        out["next"] = path[1:].copy()
    if steps == 0:
        out.update({"gradient": np.empty((0, *x.shape)), "lr": np.empty((0, *batch))})
    ordered = {k: out[k] for k in trace_symbols(name) if k in out}
    return ordered
