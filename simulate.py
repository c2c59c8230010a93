"""Scene -> Result: run every optimizer of a scene on its landscape. Pure and deterministic.

Nothing here draws or talks to Streamlit; the page caches :func:`simulate` keyed by the (hashable)
scene.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np

import landscapes
import optimizers
from landscapes.formula import FormulaLandscape
from scene import BATCH_PARAM, Run, Scene, Value, format_point, make_landscape, settings_of

#: A run "reaches" a minimum when it comes within this fraction of the plot's diagonal of one.
REACH_FRACTION = 0.01


@dataclass(frozen=True)
class RunResult:
    """One optimizer run of a scene.

    Attributes:
        run: the run's settings.
        label: the name shown in the legend and panel title (copies are told apart).
        path: positions, shape ``(steps + 1, 2)``; rows after a divergence are NaN. Empty on error.
        loss: loss at each row of ``path`` (NaN after a divergence).
        diverged_at: the first step whose position was non-finite or absurdly large, or whose loss was
            not finite, else ``None``.
        error: why the run could not start (invalid settings), else ``None``.
        stop_reason: why a run with ``diverged_at`` stopped when it did not diverge (the surface had no
            finite value where it got to, or no gradient where it was: a custom formula's log of a
            negative number, a cone's tip), else ``None``. A smaller η would not help such a run.
        stopped_at: where a run that stopped landed, when that point is finite (the surface has no value
            there; ``path`` is NaN from ``diverged_at`` on, as for a run that diverged), else ``None``.
    """

    run: Run
    label: str
    path: np.ndarray
    loss: np.ndarray
    diverged_at: int | None
    error: str | None = None
    stop_reason: str | None = None
    stopped_at: tuple[float, float] | None = None

    @property
    def end_kind(self) -> str:
        """ "diverged", "stopped" (see ``stop_reason``) or "" for a run that did not end early."""
        if self.diverged_at is None:
            return ""
        return "stopped" if self.stop_reason else "diverged"

    @property
    def ended(self) -> str:
        """How the run ended early: "diverged at step k", "stopped at step k", or ""."""
        return f"{self.end_kind} at step {self.diverged_at}" if self.end_kind else ""

    @property
    def ok(self) -> bool:
        """True when the run ran (it may still have diverged)."""
        return self.error is None

    @property
    def last(self) -> int:
        """Index of the last finite row of the path."""
        if self.diverged_at is None:
            return len(self.path) - 1
        return max(self.diverged_at - 1, 0)


@dataclass(frozen=True)
class Result:
    """Everything the figures need about a simulated scene."""

    scene: Scene
    landscape: landscapes.Landscape
    start: np.ndarray
    runs: tuple[RunResult, ...]
    messages: tuple[str, ...]

    @cached_property
    def summary(self) -> list[dict[str, object]]:
        """One row per run: final loss, distance to the nearest minimum, steps to reach it, and its status:
        "diverged at step k" / "stopped at step k", "ended outside the picture", or "ok"."""
        minima = self.landscape.minima
        (x0, x1), (y0, y1) = self.landscape.bounds
        tol = REACH_FRACTION * float(np.hypot(x1 - x0, y1 - y0))
        rows: list[dict[str, object]] = []
        for r in self.runs:
            row: dict[str, object] = {"optimizer": r.label}
            if not r.ok:
                row.update(
                    {
                        "final loss": None,
                        "distance to minimum": None,
                        "steps to reach": None,
                        "status": f"not run: {r.error}",
                    }
                )
                rows.append(row)
                continue
            final = r.loss[r.last]
            row["final loss"] = float(final)
            if len(minima):
                dist = np.min(np.linalg.norm(r.path[:, None, :] - minima[None, :, :], axis=-1), axis=1)
                row["distance to minimum"] = float(dist[r.last])
                reached = np.flatnonzero(dist <= tol)
                row["steps to reach"] = int(reached[0]) if reached.size else None
            else:
                row["distance to minimum"] = None
                row["steps to reach"] = None
            end = r.path[r.last]
            outside = not (x0 <= end[0] <= x1 and y0 <= end[1] <= y1)
            # "ok" read oddly beside a panel that says the run ends outside the picture (4e10 away, a loss of 1e22)
            row["status"] = r.ended or ("ended outside the picture" if outside else "ok")
            rows.append(row)
        return rows


def run_name(runs: tuple[Run, ...], i: int) -> str:
    """Run ``i``'s optimizer, with its copy number when ``runs`` has several of it: "Momentum (EMA) #2" (the
    number matches the sidebar's expander of that copy)."""
    twins = [j for j, r in enumerate(runs) if r.optimizer == runs[i].optimizer]
    base = optimizers.spec(runs[i].optimizer).label
    return base if len(twins) == 1 else f"{base} #{twins.index(i) + 1}"


def run_labels(runs: tuple[Run, ...], shared_lr: float | None = None) -> list[str]:
    """Panel labels: the optimizer's label, plus the settings that tell copies of it apart.

    With ``shared_lr`` ("same η for all") every run steps with that η, so a run's own η tells nothing
    apart: it is left out (the labels said "η=0.05" and "η=0.001" of two runs that both used η = 10).
    """
    labels = []
    effective: dict[int, dict[str, Value]] = {}  # filled only for runs that have twins
    for i, run in enumerate(runs):
        number = run_name(runs, i)
        twins = [j for j, r in enumerate(runs) if r.optimizer == run.optimizer]
        if len(twins) == 1:
            labels.append(number)
            continue
        for j in twins:
            if j not in effective:
                effective[j] = runs[j].effective()
        ignored = {"lr"} if shared_lr is not None else set()
        keys = [
            k
            for k in effective[i]
            if k not in ignored and any(effective[j].get(k) != effective[i].get(k) for j in twins)
        ]
        # A copy is told by what sets it apart: the settings where its value is not the one most of its twins
        # share (every value, where no value is shared). The first three differing settings alone made two of
        # four Adams "(λ=0, AMSGrad off, bias correction on)" and left out the ε-inside that told them apart.
        own = [k for k in keys if not _shared_by_most(effective, twins, k, effective[i].get(k))]
        picked = own or keys[:2]
        shown = ", ".join(_setting_text(run, k, effective[i].get(k)) for k in picked[:3])
        if len(picked) > 3:
            shown += ", …"
        # the settings say how the copies differ
        labels.append(f"{number} ({shown})" if shown else number)
    return labels


def _shared_by_most(effective: dict[int, dict[str, Value]], twins: list[int], key: str, value: object) -> bool:
    """Whether ``value`` of ``key`` is the value most of the ``twins`` share (strictly more than any other,
    and by at least two of them)."""
    counts: dict[str, int] = {}
    for j in twins:
        v = repr(effective[j].get(key))
        counts[v] = counts.get(v, 0) + 1
    mine, best = counts[repr(value)], max(counts.values())
    return mine >= 2 and mine == best and list(counts.values()).count(best) == 1


def _setting_text(run: Run, name: str, value: object) -> str:
    """``η=0.1``, ``AMSGrad on``, ``cosine schedule``: one setting, short."""
    hp = settings_of(run.optimizer)[name]
    if name == BATCH_PARAM.name:
        return "full batch" if value == 0 else f"B={value}"
    if name == "schedule":
        return "constant η" if value == "none" else f"{str(value).replace('_', ' ')} schedule"
    if isinstance(value, bool):
        words = {"eps_inside": "ε inside the root"}.get(name) or (
            hp.symbol if hp.symbol and len(hp.symbol) > 2 else name.replace("_", " ")
        )
        return f"{words} {'on' if value else 'off'}"
    if name in ("clip_norm", "clip_value", "noise") and value == 0:
        return f"no {name.replace('_', ' ')}"
    sym = hp.symbol or name
    if isinstance(value, float):
        mantissa, _, exponent = f"{value:.3g}".partition("e")  # 1e-08 -> 1e-8, as the sliders write it
        return f"{sym}={mantissa}" + (f"e{int(exponent)}" if exponent else "")
    return f"{sym}={value}"


def run_inputs(
    scene: Scene, land: landscapes.Landscape, run: Run
) -> tuple[Callable[[np.ndarray], np.ndarray], dict[str, Any]]:
    """The gradient callable and keyword arguments that :func:`optimizers.run` (or ``trace``) gets for ``run``.

    The shared learning rate, the mini-batch gradient of data landscapes, the Hessian for Newton and
    the scene's seed are all resolved here, so every view of a run uses the same settings.
    """
    kwargs: dict[str, Any] = run.kwargs()
    batch = int(kwargs.pop(BATCH_PARAM.name))
    if scene.shared_lr is not None and "lr" in kwargs:
        kwargs["lr"] = scene.shared_lr
    grad: Callable[[np.ndarray], np.ndarray] = land.gradient
    if land.stochastic and batch > 0:
        grad = land.stochastic_gradient(batch, seed=scene.seed)
    if optimizers.spec(run.optimizer).needs_hessian:
        kwargs["hess"] = land.hessian
    kwargs["seed"] = scene.seed
    return grad, kwargs


#: Most compiled-formula instructions one run of a custom surface may execute, one point at a time: about
#: a second of one core. A formula with a 1,200-instruction gradient and Hessian had made six Newton runs
#: of 2,000 steps take 25 s, and one server process runs every student's page.
MAX_RUN_INSTRUCTIONS = 600_000


def check_run_work(land: landscapes.Landscape, optimizer: str, steps: int) -> None:
    """Raise ``ValueError`` (saying how many steps would do) when ``steps`` steps of ``optimizer`` on a
    custom formula would run more than :data:`MAX_RUN_INSTRUCTIONS` instructions; the built-in surfaces
    are cheap enough one point at a time."""
    if not isinstance(land, FormulaLandscape):
        return
    gradient, hessian = land.program_sizes
    needs_hessian = optimizers.spec(optimizer).needs_hessian
    per_step = gradient + (hessian if needs_hessian else 0)
    if steps * per_step > MAX_RUN_INSTRUCTIONS:
        most = MAX_RUN_INSTRUCTIONS // per_step
        what = "its gradient and Hessian" if needs_hessian else "its gradient"
        raise ValueError(
            f"{steps:,} steps of this formula ({what}: {per_step:,} operations a step) are more work than one "
            f"page may ask of a shared server; at most {most:,} steps"
        )


def run_one(scene: Scene, land: landscapes.Landscape, run: Run, x0: np.ndarray) -> np.ndarray:
    """The path of one run, shape ``(steps + 1, 2)``. Raises ``ValueError`` for invalid settings, or for a
    run too costly for a shared server (:func:`check_run_work`)."""
    grad, kwargs = run_inputs(scene, land, run)
    check_run_work(land, run.optimizer, scene.steps)
    return optimizers.run(run.optimizer, grad, x0, scene.steps, **kwargs)


def run_part(scene: Scene, run: Run) -> Scene:
    """The part of ``scene`` that decides ``run``'s path (a cache key: the other runs, the view and the
    lesson do not change it)."""
    return Scene(
        landscape=scene.landscape,
        landscape_params=scene.landscape_params,
        formula=scene.formula,
        formula_bounds=scene.formula_bounds,
        runs=(run,),
        start=scene.start,
        steps=scene.steps,
        seed=scene.seed,
        shared_lr=scene.shared_lr,
    )


def path_of(scene: Scene, run: Run) -> np.ndarray:
    """The raw path of ``run`` in ``scene``, shape ``(steps + 1, 2)``. Raises ``ValueError`` for invalid
    settings."""
    land, _ = make_landscape(scene)
    start = np.asarray(scene.start if scene.start is not None else land.start, dtype=float)
    return run_one(scene, land, run, start)


def ended_early(land: landscapes.Landscape, path: np.ndarray, loss: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where each of a batch of runs ended early, and whether it stopped rather than diverged.

    Args:
        land: the surface.
        path: positions, shape ``(steps + 1, n, 2)``.
        loss: ``land.value(path)``, shape ``(steps + 1, n)``.

    Returns:
        ``(first bad row, stopped)``, shapes ``(n,)``: a row is bad where its position is not finite (the
        runner's divergence) or the surface has no finite value there; -1 where no row is. A run *stopped*
        (rather than diverged) where that row's position is finite, or where the gradient at the row
        before is not finite.
    """
    with np.errstate(all="ignore"):
        bad = ~np.isfinite(path).all(axis=-1) | ~np.isfinite(loss)
        ended = bad.any(axis=0)
        first = np.argmax(bad, axis=0)
        runs = np.arange(path.shape[1])
        no_value = ended & np.isfinite(path[first, runs]).all(axis=-1)
        before = path[np.maximum(first - 1, 0), runs]
        no_gradient = ended & ~no_value & (first >= 1) & ~np.isfinite(land.gradient(before)).all(axis=-1)
    return np.where(ended, first, -1), no_value | no_gradient


def _stop_reason(path: np.ndarray, loss: np.ndarray, k: int) -> str:
    """Why a run that stopped at row ``k`` (see :func:`ended_early`) stopped, for ``RunResult.stop_reason``."""
    if np.isfinite(path[k]).all():  # the position is fine: the loss there is not
        where = ("the start " if k == 0 else "") + format_point(path[k])
        if np.isnan(loss[k]):
            return f"the surface has no value at {where}: outside its domain"
        if loss[k] > 0:
            return f"the surface's value at {where} is +∞: a pole, or a number too large for floating point"
        return f"the surface's value at {where} is −∞: it has no bottom there"
    where = format_point(path[k - 1])
    return f"the gradient at {where} is not a number: a kink, a pole or the edge of the surface's domain"


def simulate(scene: Scene, paths: Callable[[Scene, Run], np.ndarray] = path_of) -> Result:
    """Run every optimizer of ``scene``.

    Args:
        scene: what to run.
        paths: computes one run's path from :func:`run_part` of the scene and the run (the page passes a
            cached :func:`path_of`, so moving one run's slider recomputes only that run).

    Returns:
        A :class:`Result` with one :class:`RunResult` per run, in order. Invalid settings of one run
        become that run's ``error``; a diverging run is cut at its ``diverged_at`` step. Never raises
        for a scene that :func:`scene.decode` or the controls produced.
    """
    land, msgs = make_landscape(scene)
    start = np.asarray(scene.start if scene.start is not None else land.start, dtype=float)
    results = []
    for run, label in zip(scene.runs, run_labels(scene.runs, scene.shared_lr), strict=True):
        try:
            path = paths(run_part(scene, run), run)
        except ValueError as e:
            results.append(RunResult(run, label, np.empty((0, 2)), np.empty(0), None, str(e)))
            continue
        with np.errstate(all="ignore"):
            loss = land.value(path)
        ends, stopped = ended_early(land, path[:, None, :], loss[:, None])
        diverged_at = int(ends[0]) if ends[0] >= 0 else None
        reason = _stop_reason(path, loss, int(ends[0])) if stopped[0] else None
        landed = None
        if reason is not None and np.isfinite(path[diverged_at]).all():
            landed = (float(path[diverged_at, 0]), float(path[diverged_at, 1]))
        if diverged_at is not None:
            path = path.copy()
            path[diverged_at:] = np.nan
            loss = loss.copy()
            loss[diverged_at:] = np.nan
        results.append(RunResult(run, label, path, loss, diverged_at, stop_reason=reason, stopped_at=landed))
        n = getattr(land, "n_samples", None)
        batch = run.get(BATCH_PARAM.name) if BATCH_PARAM.name in settings_of(run.optimizer) else None
        if n is not None and isinstance(batch, (int, float)) and batch >= n:
            # the control goes to 512 whatever the data's size; such a "mini-batch" is the whole data set
            msgs.append(
                f"{label}: a mini-batch of {int(batch)} is not less than the {n} samples, so it uses the full batch."
            )
    return Result(scene, land, start, tuple(results), tuple(msgs))
