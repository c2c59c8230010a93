"""Tests of `landscapes.lowest`: a surface's lowest points in its window, found numerically.

The built-in surfaces are the independent check: their minima and minimum values come from the
literature (``landscapes/classic.py`` cites them; the data landscapes' from the normal equations and
a separate fit), and the search, given only value, gradient and Hessian, must find exactly those.
The custom formulas below have minima that follow by hand (stated beside each).
"""

from __future__ import annotations

import pickle

import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings

import landscapes
from landscapes import from_formula
from landscapes.lowest import Lowest, find_lowest
from tests.test_formula import FORMULAS
from viz.curves import loss_quantity


def search(land: landscapes.Landscape) -> Lowest:
    return find_lowest(land.value, land.gradient, land.hessian, land.bounds)


def same_points(found: np.ndarray, expected: np.ndarray, atol: float) -> bool:
    """Whether two sets of points match one to one (any order)."""
    if found.shape != expected.shape:
        return False
    return all(np.min(np.linalg.norm(found - e, axis=-1)) <= atol for e in expected)


@pytest.mark.parametrize("name", landscapes.names())
def test_it_finds_the_literature_minima_of_every_built_in_surface(name: str) -> None:
    land = landscapes.get(name)
    found = search(land)
    if land.min_value is None:  # saddles: lower at the window's edge, and no minimum anywhere
        assert found.kind == "edge" and found.value is None and found.minima.shape == (0, 2)
        return
    assert found.value == pytest.approx(land.min_value, rel=1e-9, abs=1e-12)
    if len(land.minima) == 0:  # the RNN cliff: loss 0 along a curve of (w, b)
        assert found.kind == "curve"
    else:
        assert found.kind == "found"
        assert same_points(found.minima, land.minima, atol=1e-6), (found.minima, land.minima)


@pytest.mark.parametrize(
    ("formula", "minima", "value"),
    [
        ("x^2 + y^2 + 5", [[0, 0]], 5.0),
        ("(x^2 - 1)^2 + y^2", [[-1, 0], [1, 0]], 0.0),  # a double well: two minima at the same level
        ("x^3 - 3*x + y^2", [[1, 0]], -2.0),  # 3x² = 3; x = -1 is a saddle; the edge x = -2 is at 2
        ("x^4 + y^4", [[0, 0]], 0.0),  # zero Hessian at the minimum
        ("x^10 + y^2", [[0, 0]], 0.0),  # Newton alone approaches it a factor 9/10 per step
        ("abs(x) + abs(y)", [[0, 0]], 0.0),  # a kink: the gradient never vanishes
        ("sqrt(x^2 + y^2)", [[0, 0]], 0.0),  # a cone's tip: no gradient there at all
        ("x*log(x) + y^2", [[np.exp(-1), 0]], -np.exp(-1)),  # log x + 1 = 0; NaN for x < 0
        ("(x^2 + y - 11)^2 + (x + y^2 - 7)^2", None, 0.0),  # Himmelblau written out, in ±5: its 4 minima
    ],
)
def test_formulas_with_minima_known_by_hand(formula: str, minima: list[list[float]] | None, value: float) -> None:
    land = from_formula(formula, bounds=((-2, 2), (-2, 2)) if minima is not None else ((-5, 5), (-5, 5)))
    found = search(land)
    assert found.kind == "found"
    expected = np.array(minima, dtype=float) if minima is not None else landscapes.get("himmelblau").minima
    assert same_points(found.minima, expected, atol=1e-8), found.minima
    assert found.value == pytest.approx(value, abs=1e-9)


def test_degenerate_minima_are_shown_at_their_exact_place() -> None:
    # x⁴'s minimum is only found to ~1e-11; the coordinates are rounded where the value is no higher.
    for formula in ("x^4 + y^4", "x^10 + y^2", "abs(x) + abs(y)"):
        assert search(from_formula(formula)).minima.tolist() == [[0.0, 0.0]]


@pytest.mark.parametrize(
    ("formula", "value"),
    [
        ("(x - y)^2", 0.0),  # a straight valley floor
        ("(x^2 + y^2 - 1)^2", 0.0),  # a ring: rank-one Hessian, like x⁴ + y² along the ring
        ("abs(x - y) + 1", 1.0),  # a crease of kinks
    ],
)
def test_a_lowest_value_reached_along_a_curve_has_no_points(formula: str, value: float) -> None:
    found = search(from_formula(formula))
    assert found.kind == "curve" and found.minima.shape == (0, 2)
    assert found.value == pytest.approx(value, abs=1e-9)


def test_a_short_curve_of_minima_is_told_from_an_isolated_flat_minimum() -> None:
    # x⁴ + y² has a rank-one Hessian at its minimum too, but moving along the flat direction climbs back.
    assert search(from_formula("x^4 + y^2")).kind == "found"
    # A small ring gives few grid seeds (fewer than CURVE_COUNT), so the flat-direction test must find it.
    ring = search(from_formula("(x^2 + y^2 - 0.04)^2", bounds=((-2, 2), (-2, 2))))
    assert ring.kind == "curve"


@pytest.mark.parametrize(
    ("formula", "kind", "near"),
    [
        ("x", "edge", (-2, -2)),  # falls leftwards for ever
        ("x^2 - y^2", "edge", None),  # a saddle
        ("exp(-x^2 - y^2)", "edge", None),  # a bump: lowest in the corners
        ("1/(x^2 + y^2)", "edge", None),
    ],
)
def test_no_minimum_where_the_surface_keeps_falling(formula: str, kind: str, near: tuple[float, float] | None) -> None:
    found = search(from_formula(formula, bounds=((-2, 2), (-2, 2))))
    assert found.kind == kind and found.minima.shape == (0, 2) and found.value is None
    assert found.near is not None
    if near is not None:
        assert found.near == near
    if kind == "edge":
        assert abs(found.near[0]) == 2 or abs(found.near[1]) == 2


def test_an_interior_minimum_that_is_not_the_window_s_lowest_is_not_shown() -> None:
    # x³ - 3x + y² has its local minimum (1, 0) at -2, but at x = -3 the edge is at -18.
    found = search(from_formula("x^3 - 3*x + y^2", bounds=((-3, 3), (-3, 3))))
    assert found.kind == "edge" and found.value is None


def test_the_formula_landscape_takes_its_minima_from_the_search_once() -> None:
    land = from_formula("(x^2 - 1)^2 + y^2 + 0.5")
    assert "_lowest" not in land.__dict__, "found on first use, not when the formula is parsed"
    np.testing.assert_allclose(land.minima, [[-1, 0], [1, 0]], atol=1e-9)
    assert land.min_value == pytest.approx(0.5)
    assert land.lowest is land.lowest
    land.minima[0, 0] = 99.0  # a copy: the landscape stays immutable
    assert land.minima[0, 0] == pytest.approx(-1)
    # the app's cached results are pickled: the copy comes back through the cache, minima and all
    clone = pickle.loads(pickle.dumps(land))
    assert clone is land
    again = search(from_formula("(x^2 - 1)^2 + y^2 + 0.5", bounds=((-2.0, 2.0), (-2.0, 2.0))))
    np.testing.assert_array_equal(again.minima, land.minima)  # deterministic


class _Run:
    def __init__(self, loss: list[float]) -> None:
        self.loss = np.array(loss)


def test_the_loss_chart_shows_raw_loss_when_a_run_goes_below_the_window_s_minimum() -> None:
    ys, title, log = loss_quantity([_Run([3.0, 1.0, 0.5])], min_value=0.25)
    assert title == "loss − minimum (log)" and log and ys[0][-1] == pytest.approx(0.25)
    # a run that left the window found lower ground than its lowest point: a gap clipped at 0 would lie
    ys, title, _ = loss_quantity([_Run([3.0, 1.0, 0.5]), _Run([3.0, -4.0, -9.0])], min_value=0.25)
    assert title.startswith("loss") and "minimum" not in title
    assert ys[1][-1] == -9.0
    # rounding just below a minimum is not "lower ground"
    _, title, _ = loss_quantity([_Run([1.0, 0.25 - 1e-15])], min_value=0.25)
    assert title == "loss − minimum (log)"


def _random_formula(rng: np.random.Generator) -> str:
    """A random surface with minima: Gaussian wells in a bowl, a quartic, a tilted egg crate or kinks."""

    def r(a: float, b: float) -> float:
        return round(float(rng.uniform(a, b)), 2)

    kind = rng.integers(4)
    if kind == 0:
        wells = "+".join(
            f"{r(0.3, 2)}*exp(-((x-{r(-2, 2)})^2+(y-{r(-2, 2)})^2)/{r(0.05, 1)})" for _ in range(rng.integers(1, 5))
        )
        return f"-({wells})+{r(0, 0.3)}*(x^2+y^2)"
    if kind == 1:
        return f"{r(0.1, 1)}*x^4+{r(0.1, 1)}*y^4+{r(-2, 2)}*x^2+{r(-2, 2)}*y^2+{r(-1, 1)}*x*y+{r(-1, 1)}*x"
    if kind == 2:
        return f"sin({r(1, 6)}*x+{r(-1, 1)})*cos({r(1, 6)}*y)+{r(0.05, 0.5)}*(x^2+y^2)+{r(-0.5, 0.5)}*x"
    return f"{r(0.5, 2)}*abs(x-{r(-1, 1)})+abs(y-{r(-1, 1)})+{r(0, 1)}*sin({r(1, 5)}*x*y)"


@pytest.mark.parametrize("seed", range(4))
def test_no_point_of_a_fine_grid_is_lower_than_what_it_finds(seed: int) -> None:
    # The search samples a 129 × 129 grid; a 401 × 401 grid must find nothing lower (wells here are wider than
    # the coarse grid's spacing, the documented limit) and the minima must be where the value is that low.
    rng = np.random.default_rng(seed)
    xs = np.linspace(-3, 3, 401)
    fine = np.stack(np.meshgrid(xs, xs), axis=-1)
    for _ in range(10):
        land = from_formula(_random_formula(rng), bounds=((-3, 3), (-3, 3)))
        found = search(land)
        values = land.value(fine)
        assert found.kind == "found", land.formula
        assert found.value <= values.min() + 1e-9 * (values.max() - values.min()), land.formula
        assert np.all(np.abs(found.minima) <= 3)
        np.testing.assert_allclose(land.value(found.minima), found.value, atol=1e-9 * np.ptp(values))


def test_a_well_a_tenth_wide_in_a_window_of_twenty_is_found() -> None:
    # A narrow well far from the bowl's centre: the 33-point grid's step was 0.625, it fell between the
    # points, and the search marked the bowl's centre, where the value is 0, as the minimum. By hand: at
    # (7.3, -2.1) the value is -1 + 0.001·(7.3² + 2.1²) = -0.9423 and the gradient of both terms vanishes
    # to within 0.001·2·7.3 (the bowl's pull shifts the minimum by about 1e-4 · its width).
    land = from_formula("-exp(-((x-7.3)^2+(y+2.1)^2)/0.01) + 0.001*(x^2+y^2)", bounds=((-10, 10), (-10, 10)))
    found = search(land)
    assert found.kind == "found" and len(found.minima) == 1
    np.testing.assert_allclose(found.minima[0], (7.3, -2.1), atol=1e-3)
    assert found.value == pytest.approx(-1 + 0.001 * (7.3**2 + 2.1**2), abs=1e-4)


@pytest.mark.parametrize(
    ("formula", "bounds", "minimum"),
    [
        # the value's range in the window (1e14, 1e22) must not loosen what counts as a minimum: (0, 0), where
        # the gradient is (-2, 0), passed for one under a tolerance relative to that range
        ("(1 - x)^2 + 100*(y - x^2)^2", ((-1e3, 1e3), (-1e3, 1e3)), (1.0, 1.0)),
        ("(1 - x)^2 + 100*(y - x^2)^2", ((-1e5, 1e5), (-1e5, 1e5)), (1.0, 1.0)),
        ("1e6*(x^2 + y^2)", ((-1, 1), (-1, 1)), (0.0, 0.0)),
        ("1e-6*((x - 0.3)^2 + y^2)", ((-1, 1), (-1, 1)), (0.3, 0.0)),
        ("(x - 1000.03)^2 + (y - 2)^2", ((1000, 1000.2), (1.99, 2.01)), (1000.03, 2.0)),  # a narrow window far out
    ],
)
def test_it_does_not_depend_on_the_scale_of_the_window_or_the_values(
    formula: str, bounds: tuple[tuple[float, float], tuple[float, float]], minimum: tuple[float, float]
) -> None:
    found = search(from_formula(formula, bounds=bounds))
    assert found.kind == "found"
    np.testing.assert_allclose(found.minima, [minimum], rtol=1e-9, atol=1e-9)
    assert found.value == pytest.approx(0.0, abs=1e-12)


@pytest.mark.parametrize(
    ("formula", "sentence"),
    [
        ("(x^2 - 1)^2 + y^2", "Lowest points in the window (found numerically): loss 0 at (-1, 0), (1, 0) (☆)."),
        ("(x - y)^2 + 2", "Lowest loss in the window (found numerically): 2, along a curve or everywhere."),
        ("x", "No minimum in the window: the surface is lowest at its edge, near (-2, -2), and may fall further"),
        ("log(x) + y^2", "No lowest value in the window: f falls without bound near (0, 0)."),
        ("log(x^2 + y^2)", "No lowest value in the window: f falls without bound near (0, 0)."),
        ("5", "The surface is flat: its gradient is zero everywhere, so no optimizer moves."),
    ],
)
def test_the_page_says_what_the_search_found(formula: str, sentence: str) -> None:
    from ui.views import lowest_note

    assert lowest_note(search(from_formula(formula, bounds=((-2, 2), (-2, 2))))).startswith(sentence)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(FORMULAS)
@example(("(x) - ((x) - (0.5))", None))  # flat, but not bit for bit on the test's grid
def test_any_formula_gets_a_consistent_answer(pair: tuple[str, object]) -> None:
    # random formulas of sin, cos, tanh, arctan, exp, +, -, *, powers (tests/test_formula.py's generator)
    land = from_formula(pair[0], bounds=((-1, 1), (-1, 1)))
    found = search(land)
    assert found.kind in ("found", "curve", "edge", "none", "unbounded", "flat")
    xs = np.linspace(-1, 1, 101)
    grid = land.value(np.stack(np.meshgrid(xs, xs), axis=-1))
    if found.kind == "found":
        assert len(found.minima) >= 1 and np.isfinite(found.minima).all() and np.abs(found.minima).max() <= 1
        np.testing.assert_allclose(land.value(found.minima), found.value, atol=1e-9 * (1 + np.ptp(grid)))
    if found.value is not None:  # nothing on a finer grid is lower
        assert found.value <= np.nanmin(grid) + 1e-7 * (1 + np.ptp(grid))
    elif found.kind == "flat":  # a constant: the same value everywhere (to rounding) and no gradient
        # x − (x − 0.5) is 0.5 with a zero derivative, but its values on this grid differ in the last bit
        points = np.stack(np.meshgrid(xs, xs), axis=-1)
        assert found.minima.shape == (0, 2) and np.ptp(grid) <= 1e-12 * (1 + np.nanmax(np.abs(grid)))
        assert np.all(land.gradient(points) == 0)
    else:
        assert found.minima.shape == (0, 2) and found.near is not None


def test_local_minima_are_kept_for_basin_maps_lowest_first() -> None:
    # (x² − 1)² + 0.3x + y²: minima where 4x³ − 4x + 0.3 = 0 at x ≈ -1.036 (the lowest) and 0.960 (local)
    left, _hump, right = np.sort(np.roots([4.0, 0.0, -4.0, 0.3]).real)
    land = from_formula("(x^2 - 1)^2 + 0.3*x + y^2", bounds=((-2, 2), (-1.5, 1.5)))
    np.testing.assert_allclose(land.minima, [[left, 0.0]], atol=1e-7)
    np.testing.assert_allclose(land.basin_minima, [[left, 0.0], [right, 0.0]], atol=1e-7)
    assert search(from_formula("(x - y)^2")).local.shape == (0, 2), "a curve has no points to tell apart"
    himmelblau = landscapes.get("himmelblau")
    np.testing.assert_array_equal(himmelblau.basin_minima, himmelblau.minima)


@pytest.mark.parametrize(
    ("formula", "bounds", "near"),
    [
        # ln(x² + y²) = 2 ln r falls by ln 100 ≈ 4.6 for every decade closer to the origin, for ever; the
        # search stopped where floating point did, at r ≈ 2.6e-21, and called -94.8 the lowest loss.
        ("log(x^2 + y^2)", ((-2, 2), (-1, 3)), (0.0, 0.0)),
        ("-1/(x^2 + y^2)", ((-2, 2), (-2, 2)), (0.0, 0.0)),  # -1/r²: ten times more per decade
        ("log(x) + y^2", ((-2, 2), (-2, 2)), (0.0, 0.0)),  # ln x → -∞ as x → 0+; y² is lowest at y = 0
        # off the grid's nodes, in a bowl: the pole is still bottomless, the bowl is only 10·(0.3² + 0.7²) = 5.8
        ("log((x - 0.3)^2 + (y - 0.7)^2) + 10*(x^2 + y^2)", ((-2, 2), (-2, 2)), (0.3, 0.7)),
        ("y^2 - 1/abs(x - 0.5)^3", ((-2, 2), (-2, 2)), (0.5, 0.0)),
    ],
)
def test_a_surface_that_falls_without_bound_inside_the_window_has_no_lowest_point(
    formula: str, bounds: tuple[tuple[float, float], tuple[float, float]], near: tuple[float, float]
) -> None:
    land = from_formula(formula, bounds=bounds)
    found = search(land)
    assert found.kind == "unbounded" and found.value is None and found.minima.shape == (0, 2)
    assert found.near == pytest.approx(near, abs=1e-6)
    # so the page draws no ☆, plots plain loss and computes no distances
    assert land.minima.shape == (0, 2) and land.min_value is None and land.basin_minima.shape == (0, 2)
    assert search(from_formula(formula, bounds=bounds)).near == found.near  # the same answer every time


def test_one_over_x_falls_without_bound_along_the_y_axis() -> None:
    # 1/x → -∞ as x → 0-, at every y: the search said "lowest loss -3.9e20, along a curve", and the loss
    # chart then plotted loss + 3.9e20.
    land = from_formula("1/x", bounds=((-2, 2), (-2, 2)))
    found = search(land)
    assert found.kind == "unbounded" and found.value is None and land.min_value is None
    assert found.near is not None and found.near[0] == pytest.approx(0.0, abs=1e-6) and abs(found.near[1]) <= 2
    ys, title, _ = loss_quantity([_Run([0.5, -2.0, -40.0])], land.min_value)
    assert title == "loss" and ys[0][-1] == -40.0


@pytest.mark.parametrize(
    ("formula", "minimum", "value"),
    [
        # a pole cut off at r = 1e-6: ln(x² + y² + 1e-12) is lowest at the origin, ln 1e-12 = -27.631021...
        ("log(x^2 + y^2 + 1e-12)", (0.0, 0.0), -12 * np.log(10)),
        ("abs(x)^0.1 + y^2", (0.0, 0.0), 0.0),  # a cusp: infinite slope, but it falls only to 0
        ("sqrt(abs(x)) + abs(y)", (0.0, 0.0), 0.0),
        ("x*log(x) + y^2", (np.exp(-1), 0.0), -np.exp(-1)),  # next to log's undefined half, bounded
    ],
)
def test_steep_but_bounded_minima_are_not_taken_for_poles(
    formula: str, minimum: tuple[float, float], value: float
) -> None:
    found = search(from_formula(formula, bounds=((-2, 2), (-2, 2))))
    assert found.kind == "found"
    np.testing.assert_allclose(found.minima, [minimum], atol=1e-8)
    assert found.value == pytest.approx(value, abs=1e-9)


@pytest.mark.parametrize("formula", ["5", "0", "0*x + 2*0 - 1"])
def test_a_constant_surface_is_flat_with_no_lowest_point_or_value(formula: str) -> None:
    # every point is as low as any other and the gradient is zero: no ☆, and no "loss − minimum" chart
    # (the gap would be 0 everywhere, drawn at 1e-16)
    land = from_formula(formula)
    found = search(land)
    assert found.kind == "flat" and found.value is None and found.minima.shape == (0, 2) and found.near is None
    assert land.minima.shape == (0, 2) and land.min_value is None
    ys, title, log = loss_quantity([_Run([5.0, 5.0, 5.0])], land.min_value)
    assert title == "loss" and not log and ys[0].tolist() == [5.0, 5.0, 5.0]
