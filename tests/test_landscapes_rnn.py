"""rnn-cliff against a plain loop of the recurrence, and the cliff it is meant to show."""

from __future__ import annotations

import cmath
import math
import time

import numpy as np
import pytest

import landscapes


def sig(z):
    """Logistic function for floats and complex numbers (complex-step differentiation)."""
    return 1 / (1 + cmath.exp(-z)) if isinstance(z, complex) else 1 / (1 + math.exp(-z))


def loop_loss(w, b, steps: int = 50):
    """E = (σ(x_T) − 0.7)² with x_t = w σ(x_{t−1}) + b, x_0 = 0.5 (Pascanu et al. 2013, §2.3), one point."""
    x = 0.5
    for _ in range(steps):
        x = w * sig(x) + b
    return (sig(x) - 0.7) ** 2


def loop_bptt(w, b, steps: int = 50):
    """Gradient of ``loop_loss`` by backpropagation through time (reverse mode), written as a plain loop."""
    xs = [0.5]
    for _ in range(steps):
        xs.append(w * sig(xs[-1]) + b)
    s = sig(xs[-1])
    delta = 2 * (s - 0.7) * s * (1 - s)  # dE/dx_T
    gw = gb = 0.0
    for t in range(steps, 0, -1):
        st = sig(xs[t - 1])
        gw += delta * st
        gb += delta
        delta = delta * w * st * (1 - st)
    return gw, gb


def sample_points(n: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return rng.uniform([3.0, -4.0], [7.0, -1.0], size=(n, 2))


def near_wall_points() -> np.ndarray:
    """Points within 10⁻²…10⁻⁵ of the wall b = 0.5 − σ(0.5)·w, where the gradient is large."""
    s05 = sig(0.5)
    pts = [(w, 0.5 - s05 * w + d) for w in (4.4, 4.6, 5.0) for d in (-1e-2, -2e-3, -3e-4, -1e-5, 1e-4, 1e-3)]
    return np.array(pts)


@pytest.mark.parametrize("steps", [5, 50, 100])
def test_value_matches_plain_loop(steps: int) -> None:
    land = landscapes.get("rnn-cliff", T=steps)
    pts = np.concatenate([sample_points(30, 0), near_wall_points()])
    expected = [loop_loss(w, b, steps) for w, b in pts]
    np.testing.assert_allclose(land.value(pts), expected, rtol=1e-9, atol=1e-15)


def test_gradient_matches_backprop_through_time() -> None:
    land = landscapes.get("rnn-cliff")
    pts = np.concatenate([sample_points(30, 1), near_wall_points()])
    expected = np.array([loop_bptt(w, b) for w, b in pts])
    got = land.gradient(pts)
    np.testing.assert_allclose(got, expected, rtol=1e-7, atol=1e-12)
    assert np.abs(got).max() > 100  # the near-wall points do reach the cliff


def test_gradient_and_hessian_match_complex_step() -> None:
    """Complex-step derivatives (exact to rounding, no cancellation) stay accurate even on the wall."""
    land = landscapes.get("rnn-cliff")
    h = 1e-30
    for w, b in np.concatenate([sample_points(10, 2), near_wall_points()]):
        gw = loop_loss(complex(w, h), b).imag / h
        gb = loop_loss(w, complex(b, h)).imag / h
        g = land.gradient([w, b])
        np.testing.assert_allclose(g, [gw, gb], rtol=1e-7, atol=1e-12)
        hw = [v.imag / h for v in loop_bptt(complex(w, h), b)]  # d(∇E)/dw
        hb = [v.imag / h for v in loop_bptt(w, complex(b, h))]  # d(∇E)/db
        hess = land.hessian([w, b])
        np.testing.assert_allclose(hess, np.array([hw, hb]).T, rtol=1e-6, atol=1e-9)


def test_wall_sits_where_x0_is_an_unstable_fixed_point() -> None:
    """Across b = 0.5 − σ(0.5)·w (w > 4.26) the loss jumps from the low state to the high one."""
    land = landscapes.get("rnn-cliff")
    for w in (4.6, 5.0, 6.0, 6.8):
        bw = 0.5 - sig(0.5) * w
        below, above = land.value([[w, bw - 0.05], [w, bw + 0.05]])
        assert below > 0.25 and above < 0.06
    # on the wall the gradient is orders of magnitude above the plateaus'
    g_wall = np.linalg.norm(land.gradient([5.0, 0.5 - sig(0.5) * 5.0 - 4.4e-5]))
    g_plateau = np.linalg.norm(land.gradient([[5.0, -3.5], [6.0, -1.5]]), axis=-1)
    assert g_wall > 1e3 and np.all(g_plateau < 0.2)


def test_the_valley_of_zero_loss_exists() -> None:
    """E = 0 wherever σ(x_T) = 0.7: a curve, so ``minima`` is empty while ``min_value`` is 0."""
    land = landscapes.get("rnn-cliff")
    assert land.min_value == 0.0 and land.minima.shape == (0, 2)
    lo, hi = -3.0, -1.0  # at w = 4, σ(x_T) − 0.7 changes sign between these b (plain-loop bisection)
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        x = 0.5
        for _ in range(50):
            x = 4.0 * sig(x) + mid
        lo, hi = (mid, hi) if sig(x) < 0.7 else (lo, mid)
    assert land.value([4.0, lo]) < 1e-20
    assert np.linalg.norm(land.gradient([4.0, lo])) < 1e-9


def gd(land, p0, lr: float, steps: int, clip: float | None = None) -> tuple[np.ndarray, float]:
    """Plain GD (optionally with Pascanu et al.'s norm clipping); returns the last point and the longest step."""
    p, longest = np.array(p0, dtype=float), 0.0
    for _ in range(steps):
        g = land.gradient(p)
        n = float(np.linalg.norm(g))
        if clip is not None and n > clip:
            g = g * (clip / n)
        q = p - lr * g
        longest = max(longest, float(np.linalg.norm(q - p)))
        p = q
    return p, longest


@pytest.mark.parametrize("lr", [0.05, 0.1])
def test_default_start_is_thrown_off_the_cliff_unless_clipped(lr: float) -> None:
    land = landscapes.get("rnn-cliff")
    (x0, x1), (y0, y1) = land.bounds
    diag = math.hypot(x1 - x0, y1 - y0)
    _, longest = gd(land, land.start, lr, 300)
    assert longest > diag  # one step longer than the whole window
    end, longest = gd(land, land.start, lr, 300, clip=1.0)
    assert longest <= lr * 1.0 + 1e-12
    assert x0 <= end[0] <= x1 and y0 <= end[1] <= y1
    assert land.value(end) < 1e-2


def test_vectorized_and_fast() -> None:
    land = landscapes.get("rnn-cliff")
    pts = sample_points(10_000, 3)
    land.gradient(pts)
    t0 = time.perf_counter()
    g = land.gradient(pts)
    assert time.perf_counter() - t0 < 0.05
    np.testing.assert_array_equal(g[17], land.gradient(pts[17]))
