"""Generic checks over the whole landscape registry, and the standard functions against the literature.

A new landscape needs no new test code here: everything registered is checked for analytic derivatives
against finite differences, symmetric Hessians, shapes, minima, parameter ranges and display helpers.
"""

from __future__ import annotations

import math
import time

import numpy as np
import pytest

import landscapes
from landscapes import REGISTRY, Landscape, Param

REQUIRED = [
    "quadratic",
    "rosenbrock",
    "saddle",
    "monkey-saddle",
    "beale",
    "booth",
    "himmelblau",
    "rastrigin",
    "ackley",
    "goldstein-price",
    "six-hump-camel",
    "styblinski-tang",
    "matyas",
    "levi",
    "rnn-cliff",
    "linear-regression",
    "logistic-regression",
    "three-hump-camel",
    "mccormick",
    "easom",
]


def settings(cls: type[Landscape]) -> list[dict[str, float]]:
    """Defaults, then every parameter at each end of its range (the sliders' extremes)."""
    out: list[dict[str, float]] = [{}]
    for p in cls.params:
        out += [{p.name: p.low}, {p.name: p.high}]
    return out


CASES = [pytest.param(k, s, id=f"{k}-{s}" if s else k) for k, cls in REGISTRY.items() for s in settings(cls)]


def random_points(land: Landscape, n: int, seed: int = 0) -> np.ndarray:
    """``n`` uniform points inside ``land.bounds``, kept slightly away from the edges."""
    rng = np.random.default_rng(seed)
    (x0, x1), (y0, y1) = land.bounds
    u = rng.uniform(0.02, 0.98, size=(n, 2))
    return np.stack([x0 + u[:, 0] * (x1 - x0), y0 + u[:, 1] * (y1 - y0)], axis=-1)


def central_difference(f, p: np.ndarray, h: np.ndarray) -> np.ndarray:
    """Central differences of ``f`` (values of shape (n,) or (n, 2)) along x and y; last axis = direction."""
    cols = []
    for k in range(2):
        e = np.zeros(2)
        e[k] = 1.0
        step = h[:, None] * e
        cols.append((f(p + step) - f(p - step)) / (2 * h.reshape((-1,) + (1,) * (f(p).ndim - 1))))
    return np.stack(cols, axis=-1)


# --- the registry ------------------------------------------------------------------------------------


def test_required_landscapes_are_registered() -> None:
    assert set(REQUIRED) <= set(landscapes.names())
    assert landscapes.names() == list(REGISTRY)


def test_unknown_name_lists_known_ones() -> None:
    with pytest.raises(ValueError, match="rosenbrock"):
        landscapes.get("no-such-surface")


def test_bad_params_raise_value_error() -> None:
    with pytest.raises(ValueError):
        landscapes.get("rosenbrock", c=1.0)
    with pytest.raises(ValueError):
        landscapes.get("quadratic", kappa=1e6)
    with pytest.raises(ValueError):
        landscapes.get("quadratic", kappa=float("nan"))


@pytest.mark.parametrize("key", list(REGISTRY))
def test_metadata(key: str) -> None:
    land = landscapes.get(key)
    assert land.key == key
    assert land.title and land.latex and land.teaches
    assert "$" not in land.latex
    assert all(isinstance(p, Param) and p.low <= p.default <= p.high for p in land.params)
    (x0, x1), (y0, y1) = land.bounds
    assert x0 < x1 and y0 < y1
    sx, sy = land.start
    assert x0 <= sx <= x1 and y0 <= sy <= y1
    assert land.minima.ndim == 2 and land.minima.shape[1] == 2
    if land.min_value is None:  # no minimum, so no minimizers (a curve of minimizers is listed as none)
        assert len(land.minima) == 0


# --- derivatives, shapes, ranges -----------------------------------------------------------------------


@pytest.mark.parametrize(("key", "params"), CASES)
def test_gradient_matches_central_differences(key: str, params: dict[str, float]) -> None:
    land = landscapes.get(key, **params)
    p = random_points(land, 40)
    g = land.gradient(p)
    h = 1e-6 * (1 + np.abs(p).max(axis=-1))
    fd = central_difference(land.value, p, h)
    scale = 1 + np.abs(land.value(p))[:, None] * 1e-3 + np.abs(g)
    assert np.all(np.abs(fd - g) <= 1e-5 * scale), np.abs(fd - g).max()


@pytest.mark.parametrize(("key", "params"), CASES)
def test_hessian_matches_gradient_differences_and_is_symmetric(key: str, params: dict[str, float]) -> None:
    land = landscapes.get(key, **params)
    p = random_points(land, 40, seed=1)
    hess = land.hessian(p)
    assert np.array_equal(hess, np.swapaxes(hess, -1, -2))
    h = 1e-6 * (1 + np.abs(p).max(axis=-1))
    fd = central_difference(land.gradient, p, h)  # fd[n, i, j] = d g_i / d p_j
    scale = 1 + np.abs(land.gradient(p))[:, :, None] * 1e-3 + np.abs(hess)
    assert np.all(np.abs(fd - hess) <= 1e-5 * scale), np.abs(fd - hess).max()


@pytest.mark.parametrize(("key", "params"), CASES)
def test_finite_inside_bounds(key: str, params: dict[str, float]) -> None:
    """Every slider value gives finite values, gradients and Hessians all over the plotting window."""
    land = landscapes.get(key, **params)
    xs, ys, z = landscapes.grid(land, n=41)
    pts = np.stack(np.meshgrid(xs, ys), axis=-1)
    assert np.isfinite(z).all()
    assert np.isfinite(land.gradient(pts)).all()
    hess = land.hessian(pts)
    if key != "ackley":  # Ackley's cone tip: infinite curvature at the origin, by design
        assert np.isfinite(hess).all()


@pytest.mark.parametrize("key", list(REGISTRY))
def test_shapes_for_scalar_batch_and_grid(key: str) -> None:
    land = landscapes.get(key)
    one = land.start
    assert land.value(one).shape == ()
    assert land.gradient(one).shape == (2,)
    assert land.hessian(one).shape == (2, 2)
    assert land.value([0.5, 0.25]).shape == ()
    batch = random_points(land, 7)
    assert land.value(batch).shape == (7,)
    assert land.gradient(batch).shape == (7, 2)
    assert land.hessian(batch).shape == (7, 2, 2)
    cube = batch[:6].reshape(2, 3, 2)
    assert land.value(cube).shape == (2, 3)
    assert land.gradient(cube).shape == (2, 3, 2)
    assert land.hessian(cube).shape == (2, 3, 2, 2)
    # a batch gives the same numbers as the points one by one
    np.testing.assert_allclose(land.gradient(batch)[3], land.gradient(batch[3]), rtol=1e-12, atol=1e-300)
    with pytest.raises(ValueError):
        land.value(np.zeros((4, 3)))


@pytest.mark.parametrize("key", list(REGISTRY))
def test_diverged_points_do_not_raise(key: str) -> None:
    """A diverging optimizer may hand in huge or non-finite points: inf/nan is fine, exceptions are not."""
    land = landscapes.get(key)
    pts = np.array([[1e200, -1e200], [1e300, 3.0], [np.inf, 0.0], [np.nan, 1.0], [-1e154, 1e154]])
    assert land.value(pts).shape == (5,)
    assert land.gradient(pts).shape == (5, 2)
    assert land.hessian(pts).shape == (5, 2, 2)


# --- minima -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("key", "params"), CASES)
def test_minima_have_the_literature_value_and_zero_gradient(key: str, params: dict[str, float]) -> None:
    land = landscapes.get(key, **params)
    if land.min_value is None:
        assert land.minima.shape == (0, 2)
        return
    m = land.minima
    # nothing on a fine grid of the window is lower than the global minimum
    z = landscapes.grid(land, n=201)[2]
    assert z.min() >= land.min_value - 1e-9 * (1 + abs(land.min_value))
    if len(m) == 0:  # minimizers form a curve (rnn-cliff): checked in that landscape's own tests
        return
    (x0, x1), (y0, y1) = land.bounds
    assert np.all((x0 <= m[:, 0]) & (m[:, 0] <= x1) & (y0 <= m[:, 1]) & (m[:, 1] <= y1))
    np.testing.assert_allclose(land.value(m), land.min_value, rtol=1e-9, atol=1e-10)
    # |∇f| at a minimizer known to ~1e-9 is ~|H|·1e-9
    tol = 1e-7 * (1 + np.abs(land.hessian(m)).max(axis=(-1, -2)))
    assert np.all(np.linalg.norm(land.gradient(m), axis=-1) <= tol)


# Literature values (REFERENCE.md: Surjanovic & Bingham's Virtual Library; Wikipedia), typed in by hand.
LITERATURE = {
    "rosenbrock": ([(1.0, 1.0)], 0.0),
    "beale": ([(3.0, 0.5)], 0.0),
    "booth": ([(1.0, 3.0)], 0.0),
    "himmelblau": (
        [(3.0, 2.0), (-2.805118087, 3.131312518), (-3.779310253, -3.283185991), (3.584428340, -1.848126527)],
        0.0,
    ),
    "rastrigin": ([(0.0, 0.0)], 0.0),
    "ackley": ([(0.0, 0.0)], 0.0),
    "goldstein-price": ([(0.0, -1.0)], 3.0),
    "six-hump-camel": ([(0.0898420131, -0.7126564030), (-0.0898420131, 0.7126564030)], -1.0316284535),
    "three-hump-camel": ([(0.0, 0.0)], 0.0),
    "styblinski-tang": ([(-2.903534018, -2.903534018)], -78.33233140754),
    "matyas": ([(0.0, 0.0)], 0.0),
    "levi": ([(1.0, 1.0)], 0.0),
    "mccormick": ([(0.5 - math.pi / 3, -0.5 - math.pi / 3)], -1.9132230),
    "easom": ([(math.pi, math.pi)], -1.0),
    "quadratic": ([(0.0, 0.0)], 0.0),
}


@pytest.mark.parametrize("key", list(LITERATURE))
def test_standard_functions_match_the_literature(key: str) -> None:
    points, value = LITERATURE[key]
    land = landscapes.get(key)
    lit = np.array(points)
    # the listed minima are the literature ones (any order), to the literature's precision; for
    # Styblinski–Tang the quoted −2.903534018 is 1e-8 from the exact root −2.90353402777 of 4x³ − 32x + 5
    assert len(land.minima) == len(lit)
    for q in lit:
        assert np.min(np.abs(land.minima - q).max(axis=-1)) < 2e-8
    # evaluated at the literature points, the function gives the literature value
    np.testing.assert_allclose(land.value(lit), value, rtol=1e-7, atol=1e-9)
    assert land.min_value == pytest.approx(value, rel=1e-7, abs=1e-9)
    assert np.all(np.linalg.norm(land.gradient(lit), axis=-1) < 1e-6)


def test_styblinski_tang_is_not_minus_39_16599_times_d() -> None:
    """REFERENCE.md: pages quoting −39.16599·d are slightly off; the value is −78.33233140754."""
    land = landscapes.get("styblinski-tang")
    assert float(land.value(land.minima[0])) == pytest.approx(-78.33233140754, abs=1e-10)
    assert abs(float(land.value(land.minima[0])) - 2 * -39.16599) > 1e-5


def test_standard_values_at_sample_points() -> None:
    """Hand-computed values at non-optimal points pin down the definitions (not just the minima)."""
    assert landscapes.get("rosenbrock").value([0.0, 0.0]) == pytest.approx(1.0)
    assert landscapes.get("rosenbrock", a=2.0 - 1.0, b=10.0).value([-1.0, 2.0]) == pytest.approx(4.0 + 10.0)
    assert landscapes.get("beale").value([0.0, 0.0]) == pytest.approx(1.5**2 + 2.25**2 + 2.625**2)
    assert landscapes.get("booth").value([0.0, 0.0]) == pytest.approx(74.0)
    assert landscapes.get("himmelblau").value([0.0, 0.0]) == pytest.approx(170.0)
    assert landscapes.get("rastrigin").value([0.5, 0.5]) == pytest.approx(20 + 2 * (0.25 + 10))
    assert landscapes.get("ackley").value([1.0, 0.0]) == pytest.approx(
        -20 * math.exp(-0.2 * math.sqrt(0.5)) - math.exp(0.5 * (1 + 1)) + math.e + 20
    )
    assert landscapes.get("goldstein-price").value([0.0, 0.0]) == pytest.approx((1 + 19) * (30 + 0))
    assert landscapes.get("six-hump-camel").value([1.0, 1.0]) == pytest.approx((4 - 2.1 + 1 / 3) + 1 + 0)
    assert landscapes.get("three-hump-camel").value([1.0, 1.0]) == pytest.approx(2 - 1.05 + 1 / 6 + 1 + 1)
    assert landscapes.get("styblinski-tang").value([1.0, 1.0]) == pytest.approx(1 - 16 + 5)
    assert landscapes.get("matyas").value([1.0, 2.0]) == pytest.approx(0.26 * 5 - 0.48 * 2)
    assert landscapes.get("levi").value([0.5, 0.5]) == pytest.approx(1 + 0.25 * 2 + 0.25 * 1)
    assert landscapes.get("mccormick").value([0.0, 0.0]) == pytest.approx(1.0)
    assert landscapes.get("easom").value([math.pi, 0.0]) == pytest.approx(math.exp(-(math.pi**2)))
    assert landscapes.get("saddle").value([3.0, 2.0]) == pytest.approx(5.0)
    assert landscapes.get("monkey-saddle").value([2.0, 1.0]) == pytest.approx(8 - 6)


def test_ackley_kink_at_the_origin() -> None:
    land = landscapes.get("ackley")
    np.testing.assert_array_equal(land.gradient([0.0, 0.0]), [0.0, 0.0])
    hess = land.hessian([0.0, 0.0])
    assert np.isinf(hess[0, 0]) and np.isinf(hess[1, 1]) and hess[0, 1] == 0


def test_saddles_have_no_minimum_and_a_critical_point_at_the_origin() -> None:
    for key in ("saddle", "monkey-saddle"):
        land = landscapes.get(key)
        assert land.min_value is None and land.minima.shape == (0, 2)
        np.testing.assert_array_equal(land.gradient([0.0, 0.0]), [0.0, 0.0])
    eig = np.linalg.eigvalsh(landscapes.get("saddle").hessian([0.0, 0.0]))
    np.testing.assert_allclose(eig, [-2.0, 2.0])
    np.testing.assert_array_equal(landscapes.get("monkey-saddle").hessian([0.0, 0.0]), np.zeros((2, 2)))


# --- parameters -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("kappa", "theta"), [(1.0, 0.0), (10.0, 30.0), (100.0, 90.0), (37.0, 61.0)])
def test_quadratic_eigenvalues_and_rotation(kappa: float, theta: float) -> None:
    land = landscapes.get("quadratic", kappa=kappa, theta=theta)
    assert land.lambda_max / land.lambda_min == pytest.approx(kappa)
    eig, vec = np.linalg.eigh(land.hessian([0.3, -0.2]))
    np.testing.assert_allclose(eig, [land.lambda_min, land.lambda_max], rtol=1e-12)
    t = math.radians(theta)
    # the flat direction (smallest eigenvalue) points along the valley at angle θ
    assert abs(abs(vec[:, 0] @ [math.cos(t), math.sin(t)]) - 1) < 1e-12
    # f = ½ pᵀ H p
    p = np.array([1.3, -0.4])
    assert land.value(p) == pytest.approx(0.5 * p @ land.hessian(p) @ p)


def test_quadratic_stability_limit_is_two_over_lambda_max() -> None:
    """GD on a quadratic converges iff lr < 2/λ_max: the lesson's claim, checked by running GD."""
    land = landscapes.get("quadratic", kappa=25.0, theta=30.0)
    limit = 2 / land.lambda_max
    for lr, converges in ((0.98 * limit, True), (1.02 * limit, False)):
        p = land.start.copy()
        for _ in range(2000):
            p = p - lr * land.gradient(p)
        assert (np.linalg.norm(p) < 1e-3) == converges


def test_rosenbrock_minimum_follows_a() -> None:
    land = landscapes.get("rosenbrock", a=-1.2, b=3.0)
    np.testing.assert_allclose(land.minima, [[-1.2, 1.44]])
    assert land.value(land.minima[0]) == 0.0


# --- speed --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("key", ["rosenbrock", "himmelblau", "goldstein-price", "quadratic"])
def test_gradient_is_vectorized(key: str) -> None:
    land = landscapes.get(key)
    p = random_points(land, 10_000)
    land.gradient(p)
    t0 = time.perf_counter()
    for _ in range(10):
        land.gradient(p)
    assert (time.perf_counter() - t0) / 10 < 0.01


# --- grid and display ---------------------------------------------------------------------------------


def test_grid_uses_plotly_orientation() -> None:
    land = landscapes.get("rosenbrock")
    xs, ys, z = landscapes.grid(land, n=30, bounds=((-1.0, 2.0), (0.0, 4.0)))
    assert xs.shape == (30,) and ys.shape == (30,) and z.shape == (30, 30)
    assert xs[0] == -1.0 and xs[-1] == 2.0 and ys[0] == 0.0 and ys[-1] == 4.0
    i, j = 7, 19
    assert z[i, j] == land.value([xs[j], ys[i]])
    xs, ys, z = landscapes.grid(land)
    assert z.shape == (120, 120) and (xs[0], xs[-1]) == land.bounds[0] and (ys[0], ys[-1]) == land.bounds[1]


def test_refined_grid_is_the_lowest_value_around_each_node() -> None:
    # Brute force, point by point: node (i, j) of the refined grid is the lowest value at the points of the
    # k-times finer grid within k/2 fine steps of it, the node itself included (NaN ignored).
    land = landscapes.from_formula("log(x) + (y - x^2)^2", bounds=((-0.55, 1.45), (-1.0, 2.0)))
    n, k = 9, 4
    xs, ys, z = landscapes.grid(land, n, refine=k)
    fx, fy = np.linspace(-0.55, 1.45, (n - 1) * k + 1), np.linspace(-1.0, 2.0, (n - 1) * k + 1)
    np.testing.assert_array_equal(xs, fx[::k])
    np.testing.assert_array_equal(ys, fy[::k])
    for i in range(n):
        for j in range(n):
            near = [
                land.value([fx[b], fy[a]])
                for a in range(max(0, i * k - 2), min(len(fy), i * k + 3))
                for b in range(max(0, j * k - 2), min(len(fx), j * k + 3))
            ]
            with np.errstate(invalid="ignore"):
                expected = np.nanmin(near) if not np.isnan(near).all() else np.nan
            np.testing.assert_allclose(z[i, j], expected, equal_nan=True)
    # Nodes at x = -0.3 and -0.05, where log is undefined: the first has no defined point within 0.125
    # (NaN, a gap in the plot); the second takes the lowest defined one, at x = 0.0125 or 0.075.
    assert np.isnan(z[:, 1]).all() and np.isfinite(z[:, 2]).all()
    with pytest.raises(ValueError, match="refine"):
        landscapes.grid(land, n, refine=0)


def test_refined_grid_keeps_rosenbrocks_valley_one_trough() -> None:
    # Rosenbrock (1 - x)² + 100(y - x²)²: in each column x the lowest value is (1 - x)², at y = x². With 90
    # nodes on [-1, 3] a node can miss the valley by half a step, 2/89 in y, and read 100·(2/89)² ≈ 0.05
    # more: on a log scale, spikes where nodes fall into the valley. The refined grid's column minimum is
    # within a half fine step, 100·(2/356)² ≈ 0.0032, of (1 - x)².
    land = landscapes.get("rosenbrock")
    (x0, x1), (y0, y1) = land.bounds
    assert (x0, x1, y0, y1) == (-2.0, 2.0, -1.0, 3.0)
    xs, _, plain = landscapes.grid(land, 90)
    _, _, refined = landscapes.grid(land, 90, refine=4)
    valley = (1 - xs) ** 2
    inside = xs**2 <= y1
    assert (refined <= plain).all(), "the node itself is among the points around it"
    assert (plain.min(axis=0) - valley)[inside].max() > 0.04, "nodes alone miss the valley floor"
    assert (refined.min(axis=0) - valley)[inside].max() <= 100 * (2 / 356) ** 2 + 1e-12


def test_display_transform_uses_log_where_values_span_decades() -> None:
    for key in ("rosenbrock", "goldstein-price", "beale"):
        zt, label = landscapes.display_transform(landscapes.grid(landscapes.get(key))[2])
        assert label == "log₁₀(loss − min)", key
        assert np.isfinite(zt).all()
    for key in ("quadratic", "rastrigin", "saddle", "himmelblau"):
        z = landscapes.grid(landscapes.get(key))[2]
        zt, label = landscapes.display_transform(z)
        assert label == "loss", key
        np.testing.assert_array_equal(zt, z)


@pytest.mark.parametrize(
    "z",
    [
        np.array([[np.nan, np.inf], [-np.inf, 1e308]]),
        np.array([[-1e308, 1e308], [0.0, np.nan]]),
        np.array([[0.0, 1e-300], [1.0, 1e12]]),
        np.full((3, 3), np.nan),
        np.full((3, 3), 2.5),
        np.array([[0.0, 0.0, 0.0, 1e6]]),
    ],
)
def test_display_transform_is_nan_safe_and_never_infinite(z: np.ndarray) -> None:
    zt, label = landscapes.display_transform(z)
    assert zt.shape == z.shape
    assert not np.isinf(zt).any()
    assert np.array_equal(np.isnan(zt), ~np.isfinite(z))
    assert label in ("loss", "log₁₀(loss − min)")
