"""The data landscapes: full-batch derivatives from the data, and honest mini-batch gradients."""

from __future__ import annotations

import time

import numpy as np
import pytest

import landscapes
from landscapes.data import DataLandscape

DATA = ["linear-regression", "logistic-regression"]


def reference_loss(key: str, w: float, b: float) -> float:
    """The mean loss written out directly from the data (one point)."""
    land = landscapes.get(key)
    z = w * land.X + b
    if key == "linear-regression":
        return float(np.mean(0.5 * (z - land.y) ** 2))
    return float(np.mean(np.log1p(np.exp(z)) - land.y * z))


def reference_gradient(key: str, w: float, b: float) -> np.ndarray:
    land = landscapes.get(key)
    z = w * land.X + b
    r = z - land.y if key == "linear-regression" else 1 / (1 + np.exp(-z)) - land.y
    return np.array([np.mean(r * land.X), np.mean(r)])


@pytest.mark.parametrize("key", DATA)
def test_dataset_is_small_fixed_and_exposed(key: str) -> None:
    land = landscapes.get(key)
    assert isinstance(land, DataLandscape) and land.stochastic
    assert 100 <= land.n_samples <= 1000
    assert land.X.shape == land.y.shape == (land.n_samples,)
    again = landscapes.get(key)
    np.testing.assert_array_equal(land.X, again.X)
    np.testing.assert_array_equal(land.y, again.y)
    if key == "logistic-regression":
        assert set(np.unique(land.y)) == {0.0, 1.0}


@pytest.mark.parametrize("key", DATA)
def test_full_batch_matches_the_loss_written_out(key: str) -> None:
    land = landscapes.get(key)
    rng = np.random.default_rng(0)
    (x0, x1), (y0, y1) = land.bounds
    for w, b in rng.uniform([x0, y0], [x1, y1], size=(10, 2)):
        assert land.value([w, b]) == pytest.approx(reference_loss(key, w, b), rel=1e-12)
        np.testing.assert_allclose(land.gradient([w, b]), reference_gradient(key, w, b), rtol=1e-10, atol=1e-13)


def test_linear_regression_minimum_is_the_least_squares_fit() -> None:
    land = landscapes.get("linear-regression")
    w, b = np.polyfit(land.X, land.y, 1)
    np.testing.assert_allclose(land.minima, [[w, b]], rtol=1e-10)
    assert land.min_value == pytest.approx(reference_loss("linear-regression", w, b), rel=1e-10)
    assert abs(w - 2.0) < 0.2 and abs(b + 1.0) < 0.3  # near the generating line y = 2x − 1


def test_logistic_regression_minimum_is_the_unique_critical_point() -> None:
    land = landscapes.get("logistic-regression")
    m = land.minima[0]
    assert np.linalg.norm(reference_gradient("logistic-regression", *m)) < 1e-12
    assert np.all(np.linalg.eigvalsh(land.hessian(m)) > 0)  # strictly convex: the critical point is global
    assert land.min_value == pytest.approx(reference_loss("logistic-regression", *m), rel=1e-12)


@pytest.mark.parametrize("key", DATA)
@pytest.mark.parametrize("batch_size", [1, 7, 32])
def test_mini_batch_gradient_is_unbiased(key: str, batch_size: int) -> None:
    """The mean of many mini-batch gradients converges to the full gradient (within 5 standard errors)."""
    land = landscapes.get(key)
    grad = land.stochastic_gradient(batch_size, seed=3)
    for point in ([-1.0, 2.0], [3.0, -2.0], list(land.minima[0])):
        draws = grad(np.tile(point, (20_000, 1)))  # 20 000 runs at the same point: independent batches
        mean, se = draws.mean(axis=0), draws.std(axis=0) / np.sqrt(len(draws))
        full = land.gradient(point)
        assert np.all(np.abs(mean - full) <= 5 * se + 1e-12), (mean, full, se)
        assert np.all(draws.std(axis=0) > 0)  # really stochastic


@pytest.mark.parametrize("key", DATA)
def test_mini_batch_noise_shrinks_with_batch_size(key: str) -> None:
    land = landscapes.get(key)
    pts = np.tile([0.5, 0.5], (5_000, 1))
    spread = [land.stochastic_gradient(b, seed=1)(pts).std(axis=0).sum() for b in (1, 4, 16, 64)]
    assert spread[0] > spread[1] > spread[2] > spread[3]
    # with replacement, the variance falls as 1/B: the spread halves from B to 4B (within sampling error)
    assert spread[0] / spread[1] == pytest.approx(2.0, rel=0.15)


@pytest.mark.parametrize("key", DATA)
def test_full_batch_requests_return_the_exact_gradient(key: str) -> None:
    land = landscapes.get(key)
    pts = np.random.default_rng(0).normal(size=(4, 3, 2))
    for b in (None, land.n_samples, land.n_samples + 1, 10**6):
        np.testing.assert_array_equal(land.stochastic_gradient(b)(pts), land.gradient(pts))


@pytest.mark.parametrize("key", DATA)
def test_reproducible_from_the_seed_and_fresh_every_call(key: str) -> None:
    land = landscapes.get(key)
    pts = np.tile([1.0, 0.0], (50, 1))
    a, b, c = land.stochastic_gradient(1, seed=5), land.stochastic_gradient(1, seed=5), land.stochastic_gradient(1, 6)
    first = a(pts)
    np.testing.assert_array_equal(first, b(pts))  # same seed, same stream
    np.testing.assert_array_equal(a(pts), b(pts))  # ... at every call
    assert not np.array_equal(first, a(pts))  # each call draws a fresh batch
    assert not np.array_equal(first, c(pts))  # another seed, another stream
    assert len(np.unique(first[:, 0])) > 10  # each run gets its own batch


@pytest.mark.parametrize("key", DATA)
def test_mini_batch_shapes(key: str) -> None:
    land = landscapes.get(key)
    grad = land.stochastic_gradient(8, seed=0)
    assert grad(np.array([0.5, 0.5])).shape == (2,)
    assert grad(np.zeros((5, 2))).shape == (5, 2)
    assert grad(np.zeros((3, 4, 2))).shape == (3, 4, 2)
    with pytest.raises(ValueError):
        grad(np.zeros((3, 3)))
    # diverged runs (NaN, huge) give non-finite gradients without raising or warning
    out = grad(np.array([[np.nan, 0.0], [1e300, -1e300], [1.0, 1.0]]))
    assert out.shape == (3, 2) and np.isfinite(out[2]).all()


@pytest.mark.parametrize("key", DATA)
@pytest.mark.parametrize("bad", [0, -3, 2.5, True, "many", float("nan")])
def test_bad_batch_size_raises(key: str, bad: object) -> None:
    with pytest.raises(ValueError):
        landscapes.get(key).stochastic_gradient(bad)  # type: ignore[arg-type]


@pytest.mark.parametrize("key", DATA)
def test_sgd_minibatch_and_full_batch_really_differ(key: str) -> None:
    """Same start, same lr: full-batch GD converges, SGD (B = 1) keeps jittering around the minimum."""
    land = landscapes.get(key)
    ends = {}
    for b in (1, 16, None):
        grad = land.stochastic_gradient(b, seed=0)
        p = np.tile(land.start, (64, 1))
        for _ in range(1500):
            p = p - 0.1 * grad(p)
        ends[b] = land.value(p) - land.min_value
    assert np.all(ends[None] < 1e-6)
    assert np.median(ends[1]) > 10 * np.median(ends[16]) > 0
    assert np.median(ends[16]) > 1e-6


@pytest.mark.parametrize("key", DATA)
def test_mini_batches_are_vectorized(key: str) -> None:
    land = landscapes.get(key)
    grad = land.stochastic_gradient(32, seed=0)
    pts = np.random.default_rng(0).normal(size=(10_000, 2))
    grad(pts)
    t0 = time.perf_counter()
    grad(pts)
    assert time.perf_counter() - t0 < 0.05


def test_linear_fast_path_equals_the_per_sample_sum() -> None:
    land = landscapes.get("linear-regression")
    pts = np.random.default_rng(1).uniform(-3, 3, size=(50, 2))
    generic = DataLandscape
    np.testing.assert_allclose(land.value(pts), generic._value(land, pts[:, 0], pts[:, 1]), rtol=1e-12)
    np.testing.assert_allclose(
        land.gradient(pts), np.stack(generic._gradient(land, pts[:, 0], pts[:, 1]), axis=-1), rtol=1e-10, atol=1e-12
    )
    hxx, hxy, hyy = generic._hessian(land, pts[:, 0], pts[:, 1])
    np.testing.assert_allclose(land.hessian(pts[0]), [[hxx[0], hxy[0]], [hxy[0], hyy[0]]], rtol=1e-12)
