"""Cached pure functions: the simulation and the surface per scene, bounded so a class cannot exhaust
memory. The surfaces go through ``st.cache_data``, which hands every session its own copy. The simulation
(each run's path, and each scene's result) is kept in plain bounded LRUs shared by all sessions and handed
out read-only: every array in them is frozen (nothing writes into one; ``simulate`` copies a path before
cutting it at a divergence), and on a slider move ``st.cache_data``'s key hashing and pickled copies
cost more than the cached work saves."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import streamlit as st

import landscapes
from scene import Run, Scene, make_landscape
from simulate import Result, path_of, simulate
from viz.surface import SurfaceImage, render

MAX_ENTRIES = 64
IMAGE_GRID = 240
IMAGE_GRID_LARGE = 420  # one panel (overlay, a single run, a phone)
SURFACE_3D_GRID = 90
SURFACE_3D_REFINE = 4  # the 3-D surface's values: the lowest on a 4× finer grid around each node


def _scene_hash(scene: Scene) -> str:
    return repr(scene)


class _LRU:
    """A thread-safe bounded least-recently-used map from string keys to shared values."""

    def __init__(self, max_entries: int) -> None:
        self._items: OrderedDict[tuple[str, ...], Any] = OrderedDict()
        self._lock = threading.Lock()
        self._max = max_entries

    def get(self, key: tuple[str, ...]) -> Any | None:
        """The value under ``key`` (now the most recently used), or ``None``."""
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key: tuple[str, ...], value: Any) -> None:
        """Store ``value`` under ``key``, dropping the least recently used entries beyond the bound."""
        with self._lock:
            self._items[key] = value
            while len(self._items) > self._max:
                self._items.popitem(last=False)


_PATHS = _LRU(4 * MAX_ENTRIES)
_RESULTS = _LRU(MAX_ENTRIES)
_EYES = _LRU(MAX_ENTRIES)


def _frozen(a: np.ndarray) -> np.ndarray:
    a.flags.writeable = False
    return a


def cached_path(part: Scene, run: Run) -> np.ndarray:
    """:func:`simulate.path_of`, cached per run (``part`` is :func:`simulate.run_part` of the scene), as
    a read-only array shared by all sessions. A ``ValueError`` (invalid settings) is not cached."""
    key = (_scene_hash(part), repr(run))
    path = _PATHS.get(key)
    if path is None:
        path = _frozen(path_of(part, run))
        _PATHS.put(key, path)
    return path


def cached_eye(
    surface: Scene, start: np.ndarray, compute: Callable[[], tuple[float, float, float]]
) -> tuple[float, float, float]:
    """The 3-D view's camera eye for a surface (:func:`surface_part` of the scene) and a start: ``compute()``
    once, shared by all sessions. The eye depends on neither run's settings (``viz.curves.choose_eye``), so
    a moved slider does not trace the surface again (about 17 ms of the view's 86)."""
    key = (_scene_hash(surface), repr([float(v) for v in start]))
    eye = _EYES.get(key)
    if eye is None:
        eye = compute()
        _EYES.put(key, eye)
    return eye


def cached_simulate(scene: Scene) -> Result:
    """:func:`simulate.simulate`, cached per scene (each run's path cached on its own), shared by all
    sessions with every array read-only."""
    key = (_scene_hash(scene),)
    result = _RESULTS.get(key)
    if result is None:
        result = simulate(scene, paths=cached_path)
        result = replace(result, start=_frozen(result.start.copy()))  # the start may be the landscape's own
        for r in result.runs:
            _frozen(r.path)
            _frozen(r.loss)
        _RESULTS.put(key, result)
    return result


def surface_part(scene: Scene) -> Scene:
    """The part of a scene that decides the surface (so changing η does not re-render it)."""
    return Scene(
        landscape=scene.landscape,
        landscape_params=scene.landscape_params,
        formula=scene.formula,
        formula_bounds=scene.formula_bounds,
        runs=(),
    )


@dataclass(frozen=True)
class Grid:
    """A landscape evaluated on a grid, with its display transform; ``refine`` > 1: each value is the
    lowest around its node (``landscapes.grid``)."""

    xs: np.ndarray
    ys: np.ndarray
    Z: np.ndarray
    Zt: np.ndarray
    label: str
    refine: int = 1


@st.cache_data(max_entries=MAX_ENTRIES, show_spinner=False, hash_funcs={Scene: _scene_hash})
def cached_surface(scene: Scene, pixels: int = IMAGE_GRID) -> SurfaceImage:
    """The background image of the scene's surface (pass :func:`surface_part` of the scene), ``pixels``
    a side: small panels need fewer, one large panel more (the image is stretched over the panel)."""
    land, _ = make_landscape(scene)
    _xs, _ys, Z = landscapes.grid(land, pixels)
    Zt, label = landscapes.display_transform(Z)
    return render(Zt, land.bounds, label)


@st.cache_data(max_entries=MAX_ENTRIES, show_spinner=False, hash_funcs={Scene: _scene_hash})
def cached_grid(scene: Scene, n: int = SURFACE_3D_GRID) -> Grid:
    """The surface on an ``n × n`` grid for the 3-D view (pass :func:`surface_part` of the scene)."""
    land, _ = make_landscape(scene)
    # Each node shows the lowest value around it, so a narrow valley is one trough, not a row of spikes;
    # the data landscapes are smooth bowls whose every value is a pass over the data: plain nodes.
    refine = 1 if land.stochastic else SURFACE_3D_REFINE
    xs, ys, Z = landscapes.grid(land, n, refine=refine)
    Zt, label = landscapes.display_transform(Z)
    return Grid(xs, ys, Z, Zt, label, refine)
