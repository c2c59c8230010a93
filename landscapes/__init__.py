"""Loss surfaces over two parameters: analytic value, gradient and Hessian, vectorized over ``(..., 2)``.

Every subclass of `Landscape` with a ``key`` registers itself; importing the modules below is all
it takes to make a landscape available to `names` and `get`.
"""

from __future__ import annotations

# Importing a module registers its landscapes; `names()` lists them in this order (the simplest shapes
# first, then the classic test functions, the RNN cliff and the data landscapes).
# isort: off
from . import quadratic, classic, rnn, data  # noqa: F401

# isort: on
from .base import REGISTRY, Landscape, Param
from .display import DisplayScale, display_scale, display_transform, grid
from .formula import from_formula

__all__ = [
    "REGISTRY",
    "DisplayScale",
    "Landscape",
    "Param",
    "display_scale",
    "display_transform",
    "from_formula",
    "get",
    "grid",
    "names",
]


def names() -> list[str]:
    """Keys of all registered landscapes, in definition order."""
    return list(REGISTRY)


def get(name: str, **params: float) -> Landscape:
    """Build the landscape registered as ``name`` with the given parameters.

    Raises:
        ValueError: ``name`` is not registered (the message lists the known names), or a parameter is
            unknown or out of range.
    """
    try:
        cls = REGISTRY[name]
    except (KeyError, TypeError):
        raise ValueError(f"unknown landscape {name!r}; known: {', '.join(names())}") from None
    return cls(**params)
