"""The classic 2-D test functions of optimization, with analytic gradients and Hessians.

Definitions, domains and global minima follow the Virtual Library of Simulation Experiments
(Surjanovic & Bingham) and Wikipedia's "Test functions for optimization" (see REFERENCE.md).
``default_bounds`` is a plotting window: the usual domain, narrowed where the usual domain would hide
the shape (six-hump camel, three-hump camel, Lévi, Easom).
"""

from __future__ import annotations

import math

import numpy as np

from .base import Array, Landscape, Param

PI = math.pi
TAU = 2.0 * math.pi

# (r, r_x, r_y, r_xx, r_xy, r_yy): one residual of a sum of squares and its derivatives.
Residual = tuple[Array | float, Array | float, Array | float, Array | float, Array | float, Array | float]


class SumOfSquares(Landscape):
    """A landscape ``f = Σ r_i(x, y)²``: subclasses list residuals, the derivatives follow.

    ``∇f = 2 Σ r_i ∇r_i`` and ``∇²f = 2 Σ (∇r_i ∇r_iᵀ + r_i ∇²r_i)`` (Gauss–Newton term plus curvature).
    """

    def _residuals(self, x: Array, y: Array) -> list[Residual]:
        raise NotImplementedError

    def _value(self, x: Array, y: Array) -> Array:
        return sum(r[0] ** 2 for r in self._residuals(x, y))

    def _gradient(self, x: Array, y: Array) -> tuple[Array, Array]:
        res = self._residuals(x, y)
        return 2 * sum(r * rx for r, rx, *_ in res), 2 * sum(r * ry for r, _, ry, *_ in res)

    def _hessian(self, x: Array, y: Array) -> tuple[Array, Array, Array]:
        res = self._residuals(x, y)
        hxx = 2 * sum(rx * rx + r * rxx for r, rx, _, rxx, _, _ in res)
        hxy = 2 * sum(rx * ry + r * rxy for r, rx, ry, _, rxy, _ in res)
        hyy = 2 * sum(ry * ry + r * ryy for r, _, ry, _, _, ryy in res)
        return hxx, hxy, hyy


class Rosenbrock(SumOfSquares):
    """Rosenbrock (1960): ``(a − x)² + b (y − x²)²``, global minimum 0 at ``(a, a²)``."""

    key = "rosenbrock"
    title = "Rosenbrock's banana valley"
    latex = r"f(x, y) = (a - x)^2 + b\,(y - x^2)^2"
    teaches = (
        "Finding the curved valley is easy; following its nearly flat floor to the minimum is slow. "
        "A large b makes the walls steep, so plain GD needs a small step and then crawls along the floor."
    )
    params = (
        Param("a", "a (minimum at (a, a²))", 1.0, -1.5, 1.5, help="Moves the minimum along the parabola y = x²."),
        Param("b", "b (wall steepness)", 100.0, 1.0, 500.0, log=True, help="Larger b: steeper walls, narrower valley."),
    )
    default_bounds = ((-2.0, 2.0), (-1.0, 3.0))
    default_start = (-1.2, 1.0)
    min_value = 0.0

    def _residuals(self, x: Array, y: Array) -> list[Residual]:
        a, sb = self.p["a"], math.sqrt(self.p["b"])
        return [(a - x, -1.0, 0.0, 0.0, 0.0, 0.0), (sb * (y - x * x), -2 * sb * x, sb, -2 * sb, 0.0, 0.0)]

    @property
    def minima(self) -> Array:
        """The single global minimizer ``(a, a²)``."""
        a = self.p["a"]
        return np.array([[a, a * a]])

    @property
    def start(self) -> Array:
        """The classic start ``(−1.2, 1)``, mirrored when ``a < 0`` so it stays across the valley."""
        return np.array([-1.2 if self.p["a"] >= 0 else 1.2, 1.0])


class Beale(SumOfSquares):
    """Beale (1958): three residuals ``c_i − x + x yⁱ``; global minimum 0 at ``(3, 0.5)``."""

    key = "beale"
    step_cost = 5.0  # see Landscape.step_cost
    hessian_cost = 11.0
    title = "Beale's flat plateau and sharp ridges"
    latex = r"f(x, y) = (1.5 - x + xy)^2 + (2.25 - x + xy^2)^2 + (2.625 - x + xy^3)^2"
    teaches = (
        "Large flat regions next to walls that rise as y³: gradients range over many orders of magnitude, "
        "which is where per-coordinate adaptive steps (Adagrad, RMSprop, Adam) beat a single learning rate."
    )
    default_bounds = ((-4.5, 4.5), (-4.5, 4.5))
    default_start = (1.0, 1.5)
    default_minima = ((3.0, 0.5),)
    min_value = 0.0

    def _residuals(self, x: Array, y: Array) -> list[Residual]:
        y2 = y * y
        return [
            (1.5 - x + x * y, y - 1, x, 0.0, 1.0, 0.0),
            (2.25 - x + x * y2, y2 - 1, 2 * x * y, 0.0, 2 * y, 2 * x),
            (2.625 - x + x * y2 * y, y2 * y - 1, 3 * x * y2, 0.0, 3 * y2, 6 * x * y),
        ]


class Booth(SumOfSquares):
    """Booth: ``(x + 2y − 7)² + (2x + y − 5)²``; global minimum 0 at ``(1, 3)``."""

    key = "booth"
    title = "Booth's tilted bowl"
    latex = r"f(x, y) = (x + 2y - 7)^2 + (2x + y - 5)^2"
    teaches = (
        "A plain quadratic bowl whose axes are tilted 45° (eigenvalues 2 and 18): an easy, well-behaved "
        "warm-up where every optimizer should succeed."
    )
    default_bounds = ((-10.0, 10.0), (-10.0, 10.0))
    default_start = (-8.0, -6.0)
    default_minima = ((1.0, 3.0),)
    min_value = 0.0

    def _residuals(self, x: Array, y: Array) -> list[Residual]:
        return [(x + 2 * y - 7, 1.0, 2.0, 0.0, 0.0, 0.0), (2 * x + y - 5, 2.0, 1.0, 0.0, 0.0, 0.0)]


class Himmelblau(SumOfSquares):
    """Himmelblau (1972): ``(x² + y − 11)² + (x + y² − 7)²``; four global minima, all 0."""

    key = "himmelblau"
    title = "Himmelblau's four valleys"
    latex = r"f(x, y) = (x^2 + y - 11)^2 + (x + y^2 - 7)^2"
    teaches = (
        "Four equally good minima: which one an optimizer reaches depends on where it starts and on its "
        "momentum, not on how good it is."
    )
    default_bounds = ((-5.0, 5.0), (-5.0, 5.0))
    default_start = (-0.5, -0.5)
    default_minima = (
        (3.0, 2.0),
        (-2.805118087, 3.131312518),
        (-3.779310253, -3.283185991),
        (3.584428340, -1.848126527),
    )
    min_value = 0.0

    def _residuals(self, x: Array, y: Array) -> list[Residual]:
        return [(x * x + y - 11, 2 * x, 1.0, 2.0, 0.0, 0.0), (x + y * y - 7, 1.0, 2 * y, 0.0, 0.0, 2.0)]


class Rastrigin(Landscape):
    """Rastrigin: ``20 + Σ (xᵢ² − 10 cos 2πxᵢ)``; global minimum 0 at the origin."""

    key = "rastrigin"
    step_cost = 5.0  # see Landscape.step_cost
    hessian_cost = 9.0
    title = "Rastrigin's egg crate"
    latex = r"f(x, y) = 20 + \sum_{i} \left(x_i^2 - 10 \cos 2\pi x_i\right)"
    teaches = (
        "A bowl covered in regularly spaced local minima: gradient methods settle in the nearest dimple; "
        "only large steps, momentum or noise hop between them."
    )
    default_bounds = ((-5.12, 5.12), (-5.12, 5.12))
    default_start = (3.6, -2.4)
    default_minima = ((0.0, 0.0),)
    min_value = 0.0

    def _value(self, x: Array, y: Array) -> Array:
        return 20 + x * x - 10 * np.cos(TAU * x) + y * y - 10 * np.cos(TAU * y)

    def _gradient(self, x: Array, y: Array) -> tuple[Array, Array]:
        return 2 * x + 20 * PI * np.sin(TAU * x), 2 * y + 20 * PI * np.sin(TAU * y)

    def _hessian(self, x: Array, y: Array) -> tuple[Array, Array, Array]:
        c = 40 * PI**2
        return 2 + c * np.cos(TAU * x), 0.0, 2 + c * np.cos(TAU * y)


class Ackley(Landscape):
    """Ackley (1987) with a=20, b=0.2, c=2π; global minimum 0 at the origin.

    The first term is a cone at the origin, so ``f`` is not differentiable there. ``gradient`` returns
    the subgradient 0 at the origin and ``hessian`` returns ``inf`` on the diagonal (0 off it): infinite
    curvature, so a Newton step from there is zero.
    """

    key = "ackley"
    step_cost = 11.0  # see Landscape.step_cost
    hessian_cost = 25.0
    title = "Ackley's pitted funnel"
    latex = r"f(x, y) = -20 e^{-0.2 \sqrt{(x^2 + y^2)/2}} - e^{(\cos 2\pi x + \cos 2\pi y)/2} + e + 20"
    teaches = (
        "A nearly flat outer plateau full of small pits around one deep funnel: small steps get trapped in the "
        "pits, and the funnel's tip is a kink that makes fixed-size steps bounce around the minimum."
    )
    default_bounds = ((-5.0, 5.0), (-5.0, 5.0))
    default_start = (3.2, 2.6)
    default_minima = ((0.0, 0.0),)
    min_value = 0.0
    _c = 0.2 * math.sqrt(0.5)

    def _value(self, x: Array, y: Array) -> Array:
        r = np.sqrt(x * x + y * y)
        return -20 * np.exp(-self._c * r) - np.exp(0.5 * (np.cos(TAU * x) + np.cos(TAU * y))) + math.e + 20

    def _gradient(self, x: Array, y: Array) -> tuple[Array, Array]:
        r = np.sqrt(x * x + y * y)
        rs = np.where(r > 0, r, 1.0)
        g1 = np.where(r > 0, 20 * self._c * np.exp(-self._c * r) / rs, 0.0)  # g'(r) / r
        e = np.exp(0.5 * (np.cos(TAU * x) + np.cos(TAU * y)))
        return g1 * x + PI * e * np.sin(TAU * x), g1 * y + PI * e * np.sin(TAU * y)

    def _hessian(self, x: Array, y: Array) -> tuple[Array, Array, Array]:
        r = np.sqrt(x * x + y * y)
        pos = r > 0
        rs = np.where(pos, r, 1.0)
        ex = np.exp(-self._c * rs)
        d1 = 20 * self._c * ex / rs  # g'(r) / r
        d2 = -20 * self._c**2 * ex  # g''(r)
        ux, uy = x / rs, y / rs
        # Hessian of g(r): g'' r̂r̂ᵀ + (g'/r)(I − r̂r̂ᵀ)
        h1xx = np.where(pos, d2 * ux * ux + d1 * (1 - ux * ux), np.inf)
        h1yy = np.where(pos, d2 * uy * uy + d1 * (1 - uy * uy), np.inf)
        h1xy = np.where(pos, (d2 - d1) * ux * uy, 0.0)
        e = np.exp(0.5 * (np.cos(TAU * x) + np.cos(TAU * y)))
        sx, sy = np.sin(TAU * x), np.sin(TAU * y)
        p2 = PI**2 * e
        return (
            h1xx + p2 * (2 * np.cos(TAU * x) - sx * sx),
            h1xy - p2 * sx * sy,
            h1yy + p2 * (2 * np.cos(TAU * y) - sy * sy),
        )


class GoldsteinPrice(Landscape):
    """Goldstein & Price (1971); global minimum 3 at ``(0, −1)``.

    Written as ``A(u)·B(t)`` with ``u = x + y`` and ``t = 2x − 3y``:
    ``A = 1 + (u + 1)²(3u² − 14u + 19)`` and ``B = 30 + t²(3t² − 16t + 18)``.
    """

    key = "goldstein-price"
    step_cost = 5.0  # see Landscape.step_cost
    hessian_cost = 10.0
    title = "Goldstein–Price's canyon"
    latex = (
        r"f = \left[1 + (x+y+1)^2 (19 - 14x + 3x^2 - 14y + 6xy + 3y^2)\right]"
        r"\left[30 + (2x-3y)^2 (18 - 32x + 12x^2 + 48y - 36xy + 27y^2)\right]"
    )
    teaches = (
        "Values span six orders of magnitude (3 to about a million) with several local minima: a step size that "
        "is safe on the walls is far too small near the bottom, so look at it on a log scale."
    )
    default_bounds = ((-2.0, 2.0), (-2.0, 2.0))
    default_start = (-0.5, 0.25)  # GD at lr 1e-5 stops in the local minimum 30, at lr 1e-4 reaches 3
    default_minima = ((0.0, -1.0),)
    min_value = 3.0

    @staticmethod
    def _ab(x: Array, y: Array) -> tuple[Array, ...]:
        u, t = x + y, 2 * x - 3 * y
        h, k = 3 * u * u - 14 * u + 19, 3 * t * t - 16 * t + 18
        a = 1 + (u + 1) ** 2 * h
        a1 = 2 * (u + 1) * h + (u + 1) ** 2 * (6 * u - 14)
        a2 = 2 * h + 4 * (u + 1) * (6 * u - 14) + 6 * (u + 1) ** 2
        b = 30 + t * t * k
        b1 = 2 * t * k + t * t * (6 * t - 16)
        b2 = 2 * k + 4 * t * (6 * t - 16) + 6 * t * t
        return a, a1, a2, b, b1, b2

    def _value(self, x: Array, y: Array) -> Array:
        a, _, _, b, _, _ = self._ab(x, y)
        return a * b

    def _gradient(self, x: Array, y: Array) -> tuple[Array, Array]:
        a, a1, _, b, b1, _ = self._ab(x, y)
        return a1 * b + 2 * a * b1, a1 * b - 3 * a * b1

    def _hessian(self, x: Array, y: Array) -> tuple[Array, Array, Array]:
        a, a1, a2, b, b1, b2 = self._ab(x, y)
        return (
            a2 * b + 4 * a1 * b1 + 4 * a * b2,
            a2 * b - a1 * b1 - 6 * a * b2,
            a2 * b - 6 * a1 * b1 + 9 * a * b2,
        )


class SixHumpCamel(Landscape):
    """Six-hump camel: ``(4 − 2.1x² + x⁴/3)x² + xy + (−4 + 4y²)y²``; two global minima, −1.0316284535."""

    key = "six-hump-camel"
    step_cost = 19.0  # see Landscape.step_cost
    hessian_cost = 11.0
    title = "The six-hump camel"
    latex = r"f(x, y) = \left(4 - 2.1x^2 + \tfrac{x^4}{3}\right)x^2 + xy + (-4 + 4y^2)\,y^2"
    teaches = (
        "Six local minima, two of them global and mirror images: from the default start GD stops in a local "
        "minimum; the start point and the step size decide which basin an optimizer ends in."
    )
    default_bounds = ((-2.0, 2.0), (-1.2, 1.2))
    default_start = (-1.6, 0.9)
    default_minima = ((0.0898420131, -0.7126564030), (-0.0898420131, 0.7126564030))
    min_value = -1.0316284535

    def _value(self, x: Array, y: Array) -> Array:
        x2, y2 = x * x, y * y
        return (4 - 2.1 * x2 + x2 * x2 / 3) * x2 + x * y + (-4 + 4 * y2) * y2

    def _gradient(self, x: Array, y: Array) -> tuple[Array, Array]:
        return 8 * x - 8.4 * x**3 + 2 * x**5 + y, x - 8 * y + 16 * y**3

    def _hessian(self, x: Array, y: Array) -> tuple[Array, Array, Array]:
        return 8 - 25.2 * x * x + 10 * x**4, 1.0, -8 + 48 * y * y


class ThreeHumpCamel(Landscape):
    """Three-hump camel: ``2x² − 1.05x⁴ + x⁶/6 + xy + y²``; global minimum 0 at the origin."""

    key = "three-hump-camel"
    step_cost = 13.0  # see Landscape.step_cost
    hessian_cost = 11.0
    title = "The three-hump camel"
    latex = r"f(x, y) = 2x^2 - 1.05x^4 + \tfrac{x^6}{6} + xy + y^2"
    teaches = (
        "One global minimum flanked by two shallow local ones: started on a flank, GD (with or without momentum) "
        "settles in the nearer local minimum; here the start point matters more than the optimizer."
    )
    default_bounds = ((-2.0, 2.0), (-2.0, 2.0))
    default_start = (1.9, -1.6)
    default_minima = ((0.0, 0.0),)
    min_value = 0.0

    def _value(self, x: Array, y: Array) -> Array:
        x2 = x * x
        return 2 * x2 - 1.05 * x2 * x2 + x2**3 / 6 + x * y + y * y

    def _gradient(self, x: Array, y: Array) -> tuple[Array, Array]:
        return 4 * x - 4.2 * x**3 + x**5 + y, x + 2 * y

    def _hessian(self, x: Array, y: Array) -> tuple[Array, Array, Array]:
        return 4 - 12.6 * x * x + 5 * x**4, 1.0, 2.0


class StyblinskiTang(Landscape):
    """Styblinski–Tang: ``½ Σ (xᵢ⁴ − 16xᵢ² + 5xᵢ)``; global minimum −78.33233140754 at ``x = y ≈ −2.9035``.

    The minimizer is the smallest root of ``4x³ − 32x + 5 = 0`` (computed to full precision here; the
    literature value is −2.903534018).
    """

    key = "styblinski-tang"
    step_cost = 13.0  # see Landscape.step_cost
    hessian_cost = 5.0
    title = "Styblinski–Tang's four basins"
    latex = r"f(x, y) = \tfrac{1}{2} \sum_{i} \left(x_i^4 - 16x_i^2 + 5x_i\right)"
    teaches = (
        "Four basins of different depth: from the default start GD settles in the shallowest one (−50); "
        "enough momentum carries it over a ridge into a deeper basin, the deepest (−78.3) is at (−2.9, −2.9)."
    )
    default_bounds = ((-5.0, 5.0), (-5.0, 5.0))
    default_start = (4.5, 4.0)
    min_value = -78.33233140754

    @property
    def minima(self) -> Array:
        """``(r, r)`` with ``r`` the smallest real root of ``4x³ − 32x + 5``."""
        r = min(np.roots([4.0, 0.0, -32.0, 5.0]).real)
        for _ in range(3):  # polish the root with Newton steps
            r -= (4 * r**3 - 32 * r + 5) / (12 * r**2 - 32)
        return np.array([[r, r]])

    def _value(self, x: Array, y: Array) -> Array:
        return 0.5 * (x**4 - 16 * x * x + 5 * x + y**4 - 16 * y * y + 5 * y)

    def _gradient(self, x: Array, y: Array) -> tuple[Array, Array]:
        return 2 * x**3 - 16 * x + 2.5, 2 * y**3 - 16 * y + 2.5

    def _hessian(self, x: Array, y: Array) -> tuple[Array, Array, Array]:
        return 6 * x * x - 16, 0.0, 6 * y * y - 16


class Matyas(Landscape):
    """Matyas: ``0.26(x² + y²) − 0.48xy``; global minimum 0 at the origin (Hessian eigenvalues 1 and 0.04)."""

    key = "matyas"
    title = "Matyas's flat diagonal trough"
    latex = r"f(x, y) = 0.26\,(x^2 + y^2) - 0.48\,xy"
    teaches = (
        "A quadratic whose Hessian has eigenvalues 1 and 0.04 along the diagonals: GD quickly reaches the "
        "diagonal trough and then crawls along it 25× more slowly."
    )
    default_bounds = ((-10.0, 10.0), (-10.0, 10.0))
    default_start = (8.0, -3.0)
    default_minima = ((0.0, 0.0),)
    min_value = 0.0

    def _value(self, x: Array, y: Array) -> Array:
        return 0.26 * (x * x + y * y) - 0.48 * x * y

    def _gradient(self, x: Array, y: Array) -> tuple[Array, Array]:
        return 0.52 * x - 0.48 * y, 0.52 * y - 0.48 * x

    def _hessian(self, x: Array, y: Array) -> tuple[Array, Array, Array]:
        return 0.52, -0.48, 0.52


class Levi(Landscape):
    """Lévi function N.13; global minimum 0 at ``(1, 1)``."""

    key = "levi"
    step_cost = 13.0  # see Landscape.step_cost
    hessian_cost = 22.0
    title = "Lévi's ripples"
    latex = r"f(x, y) = \sin^2 3\pi x + (x-1)^2\left(1 + \sin^2 3\pi y\right) + (y-1)^2\left(1 + \sin^2 2\pi y\right)"
    teaches = (
        "Fine ripples on a bowl: the ripples' curvature (about 180) is far larger than the bowl's, so a learning "
        "rate suited to the bowl skips over ripples while a small one gets caught in the first dip."
    )
    default_bounds = ((-1.5, 3.5), (-1.5, 3.5))
    default_start = (-1.0, 3.0)
    default_minima = ((1.0, 1.0),)
    min_value = 0.0

    def _value(self, x: Array, y: Array) -> Array:
        return (
            np.sin(3 * PI * x) ** 2
            + (x - 1) ** 2 * (1 + np.sin(3 * PI * y) ** 2)
            + (y - 1) ** 2 * (1 + np.sin(TAU * y) ** 2)
        )

    def _gradient(self, x: Array, y: Array) -> tuple[Array, Array]:
        gx = 3 * PI * np.sin(6 * PI * x) + 2 * (x - 1) * (1 + np.sin(3 * PI * y) ** 2)
        gy = (
            3 * PI * (x - 1) ** 2 * np.sin(6 * PI * y)
            + 2 * (y - 1) * (1 + np.sin(TAU * y) ** 2)
            + TAU * (y - 1) ** 2 * np.sin(4 * PI * y)
        )
        return gx, gy

    def _hessian(self, x: Array, y: Array) -> tuple[Array, Array, Array]:
        hxx = 18 * PI**2 * np.cos(6 * PI * x) + 2 * (1 + np.sin(3 * PI * y) ** 2)
        hxy = 6 * PI * (x - 1) * np.sin(6 * PI * y)
        hyy = (
            18 * PI**2 * (x - 1) ** 2 * np.cos(6 * PI * y)
            + 2 * (1 + np.sin(TAU * y) ** 2)
            + 8 * PI * (y - 1) * np.sin(4 * PI * y)
            + 8 * PI**2 * (y - 1) ** 2 * np.cos(4 * PI * y)
        )
        return hxx, hxy, hyy


class McCormick(Landscape):
    """McCormick: ``sin(x + y) + (x − y)² − 1.5x + 2.5y + 1``; minimum ``−√3/2 − π/3`` at ``(½ − π/3, −½ − π/3)``.

    The minimum is global on the usual domain ``x ∈ [−1.5, 4], y ∈ [−3, 4]`` (the plotting window); along
    the valley ``x − y = 1`` the function keeps decreasing outside it.
    """

    key = "mccormick"
    step_cost = 2.5  # see Landscape.step_cost
    hessian_cost = 6.0
    title = "McCormick's sloping valley"
    latex = r"f(x, y) = \sin(x + y) + (x - y)^2 - 1.5x + 2.5y + 1"
    teaches = (
        "A tilted valley whose floor is a wave: GD drops into the valley and stops in the first dip, a local "
        "minimum about 3 above the global one; too much speed along the floor runs past it down the endless valley."
    )
    default_bounds = ((-1.5, 4.0), (-3.0, 4.0))
    default_start = (3.0, 3.5)
    default_minima = ((0.5 - PI / 3, -0.5 - PI / 3),)
    min_value = -math.sqrt(3) / 2 - PI / 3

    def _value(self, x: Array, y: Array) -> Array:
        return np.sin(x + y) + (x - y) ** 2 - 1.5 * x + 2.5 * y + 1

    def _gradient(self, x: Array, y: Array) -> tuple[Array, Array]:
        c = np.cos(x + y)
        return c + 2 * (x - y) - 1.5, c - 2 * (x - y) + 2.5

    def _hessian(self, x: Array, y: Array) -> tuple[Array, Array, Array]:
        s = np.sin(x + y)
        return 2 - s, -2 - s, 2 - s


class Easom(Landscape):
    """Easom: ``−cos x cos y exp(−((x − π)² + (y − π)²))``; global minimum −1 at ``(π, π)``.

    The usual domain is ``[−100, 100]²``, on which the function is 0 to machine precision almost everywhere;
    the plotting window ``[−1, 7]²`` keeps the needle and its flat surroundings visible.
    """

    key = "easom"
    step_cost = 14.0  # see Landscape.step_cost
    hessian_cost = 17.0
    title = "Easom's needle in a flat plain"
    latex = r"f(x, y) = -\cos x \cos y \; e^{-(x - \pi)^2 - (y - \pi)^2}"
    teaches = (
        "Away from the needle the surface is flat to many decimals: the gradient vanishes and no learning rate "
        "helps, a reminder that gradient methods only see their neighbourhood."
    )
    default_bounds = ((-1.0, 7.0), (-1.0, 7.0))
    default_start = (1.0, 5.4)
    default_minima = ((PI, PI),)
    min_value = -1.0

    @staticmethod
    def _parts(x: Array, y: Array) -> tuple[Array, ...]:
        # f = h(x) k(y), h = −cos x e^{−a²}, k = cos y e^{−b²}
        a, b = x - PI, y - PI
        ea, eb = np.exp(-a * a), np.exp(-b * b)
        cx, sx, cy, sy = np.cos(x), np.sin(x), np.cos(y), np.sin(y)
        h, h1, h2 = -cx * ea, ea * (sx + 2 * a * cx), ea * (3 * cx - 4 * a * sx - 4 * a * a * cx)
        k, k1, k2 = cy * eb, -eb * (sy + 2 * b * cy), -eb * (3 * cy - 4 * b * sy - 4 * b * b * cy)
        return h, h1, h2, k, k1, k2

    def _value(self, x: Array, y: Array) -> Array:
        return -np.cos(x) * np.cos(y) * np.exp(-((x - PI) ** 2) - (y - PI) ** 2)

    def _gradient(self, x: Array, y: Array) -> tuple[Array, Array]:
        h, h1, _, k, k1, _ = self._parts(x, y)
        return h1 * k, h * k1

    def _hessian(self, x: Array, y: Array) -> tuple[Array, Array, Array]:
        h, h1, h2, k, k1, k2 = self._parts(x, y)
        return h2 * k, h1 * k1, h * k2
