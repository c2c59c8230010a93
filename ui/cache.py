"""Cached pure functions: the simulation and the surface per scene, bounded so a class cannot exhaust
memory. ``st.cache_data`` hands every session its own copy, so no state is shared between sessions; the
one exception, each run's path, is shared read-only (nothing writes into a path; ``simulate`` copies one
before cutting it at a divergence)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np
import streamlit as st

import landscapes
from scene import Run, Scene
from simulate import Result, make_landscape, path_of, simulate
from viz.surface import SurfaceImage, render

MAX_ENTRIES = 64
IMAGE_GRID = 240
IMAGE_GRID_LARGE = 420  # one panel (overlay, a single run, a phone)
SURFACE_3D_GRID = 90


def _scene_hash(scene: Scene) -> str:
    return repr(scene)


_PATHS: OrderedDict[tuple[str, str], np.ndarray] = OrderedDict()
_PATHS_LOCK = threading.Lock()


def cached_path(part: Scene, run: Run) -> np.ndarray:
    """:func:`simulate.path_of`, cached per run (``part`` is :func:`simulate.run_part` of the scene).

    A plain bounded LRU shared by all sessions, returning the same read-only array: on a slider move the
    other runs are hits, and ``st.cache_data``'s key hashing and copying cost ~1 ms a run. A ``ValueError``
    (invalid settings) is not cached.
    """
    key = (_scene_hash(part), repr(run))
    with _PATHS_LOCK:
        path = _PATHS.get(key)
        if path is not None:
            _PATHS.move_to_end(key)
            return path
    path = path_of(part, run)
    path.flags.writeable = False
    with _PATHS_LOCK:
        _PATHS[key] = path
        while len(_PATHS) > 4 * MAX_ENTRIES:
            _PATHS.popitem(last=False)
    return path


@st.cache_data(max_entries=MAX_ENTRIES, show_spinner=False, hash_funcs={Scene: _scene_hash})
def cached_simulate(scene: Scene) -> Result:
    """:func:`simulate.simulate`, cached per scene, each run's path cached on its own."""
    return simulate(scene, paths=cached_path)


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
    """A landscape evaluated on a grid, with its display transform."""

    xs: np.ndarray
    ys: np.ndarray
    Z: np.ndarray
    Zt: np.ndarray
    label: str


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
    xs, ys, Z = landscapes.grid(land, n)
    Zt, label = landscapes.display_transform(Z)
    return Grid(xs, ys, Z, Zt, label)
