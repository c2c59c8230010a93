"""Data landscapes: the mean loss of a two-parameter model over a small, fixed synthetic dataset.

The model is ``z = w·x + b`` on a one-dimensional feature ``x``; the point ``(w, b)`` of the landscape is
the parameter vector. Besides the exact (full-batch) value, gradient and Hessian, these landscapes offer
stochastic mini-batch gradients (`DataLandscape.stochastic_gradient`), so SGD, mini-batch and full-batch
GD really differ.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

import numpy as np

from .base import Array, Landscape

GradFn = Callable[[Array], Array]

N_SAMPLES = 200


class DataLandscape(Landscape):
    """Base of the data landscapes: ``L(w, b) = (1/n) Σ ℓ(w x_i + b, y_i)`` over the dataset ``(X, y)``.

    Subclasses set the class attributes ``X`` and ``y`` (shape ``(n,)``) and implement the per-sample loss
    ``ℓ(z, y)`` and its first two derivatives in ``z``; value, gradient and Hessian follow from the chain
    rule with ``∂z/∂(w, b) = (x, 1)``.

    Attributes:
        X: the feature of every sample, shape ``(n_samples,)``.
        y: the target of every sample, shape ``(n_samples,)``.
        n_samples: the number of samples.
        true_params: the ``(w, b)`` the data were generated with (not the minimizer: noise moves it).
    """

    stochastic = True
    X: ClassVar[Array] = np.zeros(0)
    y: ClassVar[Array] = np.zeros(0)
    true_params: ClassVar[tuple[float, float]] = (0.0, 0.0)

    @property
    def n_samples(self) -> int:
        """Number of samples in the dataset."""
        return len(self.X)

    def gradient_cost(self, batch_size: int = 0) -> float:
        """A mini-batch gradient of ``batch_size`` samples (fewer than the data set) costs about
        8 + 1.2 B + 0.007 B² Rosenbrock gradients a point inside a sweep: it draws B indices, gathers B
        samples and averages B terms, and large batches leave the cache. Measured in 100 × 100 sweeps
        (``benchmarks/bench_sweep.py --costs``; linear, logistic regression): 1.6, 8.2 for B = 1; 10.4, 15.9
        for 4; 22.3, 28.9 for 16; 87, 91 for 64; 173, 263 for 128. The full gradient costs ``step_cost``."""
        if 0 < batch_size < self.n_samples:
            return 8.0 + 1.2 * batch_size + 0.007 * batch_size**2
        return self.step_cost

    # --- per-sample loss, in z = w x + b ---------------------------------------------------------------
    @staticmethod
    def loss(z: Array, y: Array) -> Array:
        """Per-sample loss ``ℓ(z, y)``."""
        raise NotImplementedError

    @staticmethod
    def dloss(z: Array, y: Array) -> Array:
        """``∂ℓ/∂z``."""
        raise NotImplementedError

    @staticmethod
    def d2loss(z: Array, y: Array) -> Array:
        """``∂²ℓ/∂z²``."""
        raise NotImplementedError

    # --- full batch ---------------------------------------------------------------------------------
    def _z(self, w: Array, b: Array) -> Array:
        """``z[..., i] = w x_i + b`` for every sample (last axis)."""
        return w[..., None] * self.X + b[..., None]

    def _value(self, x: Array, y: Array) -> Array:
        return self.loss(self._z(x, y), self.y).mean(axis=-1)

    def _gradient(self, x: Array, y: Array) -> tuple[Array, Array]:
        d = self.dloss(self._z(x, y), self.y)
        return (d @ self.X) / self.n_samples, d.mean(axis=-1)

    def _hessian(self, x: Array, y: Array) -> tuple[Array, Array, Array]:
        h = self.d2loss(self._z(x, y), self.y)
        n = self.n_samples
        return (h @ (self.X * self.X)) / n, (h @ self.X) / n, h.mean(axis=-1)

    # --- mini-batches -------------------------------------------------------------------------------
    def stochastic_gradient(self, batch_size: int | None, seed: int = 0) -> GradFn:
        """A gradient callable that draws a fresh mini-batch for every run at every call.

        Each call ``grad(points)`` with ``points`` of shape ``(..., 2)`` (one row per run) draws, for every
        run independently, ``batch_size`` sample indices uniformly **with replacement** and returns the
        mean gradient over them, shape ``(..., 2)``. Sampling with replacement makes every mini-batch
        gradient an unbiased estimate of the full gradient for any batch size, and keeps the draw one
        vectorized ``integers`` call (no loop over runs). The generator is created once, from ``seed``,
        when this method is called, so a whole run — every step of every run in the batch — is
        reproducible from the seed; call this method again for a fresh, identical stream.

        Args:
            batch_size: samples per mini-batch (1 = SGD). ``None`` or ``>= n_samples`` returns the exact
                full-batch gradient (deterministic).
            seed: seed of the generator.

        Raises:
            ValueError: ``batch_size`` is not a positive whole number.
        """
        if batch_size is None:
            return self.gradient
        size = _as_int(batch_size)
        if size < 1:
            raise ValueError(f"{self.key}: batch_size must be a positive whole number or None, got {batch_size!r}")
        if size >= self.n_samples:
            return self.gradient
        rng = np.random.default_rng(seed)
        xs, ys, dloss = self.X, self.y, self.dloss

        def grad(points: Array) -> Array:
            p = np.asarray(points, dtype=float)
            if p.ndim == 0 or p.shape[-1] != 2:
                raise ValueError(f"points must have shape (..., 2), got {p.shape}")
            flat = p.reshape(-1, 2)
            idx = rng.integers(0, len(xs), size=(len(flat), size))
            xb = xs[idx]
            with np.errstate(all="ignore"):
                d = dloss(flat[:, :1] * xb + flat[:, 1:], ys[idx])
                g = np.stack([(d * xb).mean(axis=-1), d.mean(axis=-1)], axis=-1)
            return g.reshape(p.shape)

        return grad


def _as_int(value: object) -> int:
    """``value`` as an int if it is a whole number, else ``ValueError``."""
    if isinstance(value, bool):
        raise ValueError(f"batch_size must be a positive whole number or None, got {value!r}")
    try:
        f = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ValueError(f"batch_size must be a positive whole number or None, got {value!r}") from None
    if not np.isfinite(f) or f != round(f):
        raise ValueError(f"batch_size must be a positive whole number or None, got {value!r}")
    return int(f)


def _sigmoid(z: Array) -> Array:
    return 0.5 + 0.5 * np.tanh(0.5 * z)


# --- the datasets (fixed seeds: the surfaces never change) ------------------------------------------------


def _linear_data() -> tuple[Array, Array]:
    rng = np.random.default_rng(20240601)
    x = rng.uniform(0.0, 3.0, N_SAMPLES)
    return x, 2.0 * x - 1.0 + rng.normal(0.0, 0.5, N_SAMPLES)


def _logistic_data() -> tuple[Array, Array]:
    rng = np.random.default_rng(20240602)
    x = rng.normal(1.0, 1.5, N_SAMPLES)
    y = (rng.uniform(size=N_SAMPLES) < _sigmoid(1.5 * x - 1.0)).astype(float)
    return x, y


def _least_squares(x: Array, y: Array) -> tuple[tuple[float, float], float]:
    """Minimizer and minimum of ``½ mean((w x + b − y)²)``."""
    a = np.stack([x, np.ones_like(x)], axis=-1)
    theta = np.linalg.lstsq(a, y, rcond=None)[0]
    return (float(theta[0]), float(theta[1])), float(0.5 * np.mean((a @ theta - y) ** 2))


def _logistic_fit(x: Array, y: Array) -> tuple[tuple[float, float], float]:
    """Minimizer and minimum of the mean log-loss, by Newton's method (the loss is strictly convex here)."""
    a = np.stack([x, np.ones_like(x)], axis=-1)
    theta = np.zeros(2)
    for _ in range(100):
        s = _sigmoid(a @ theta)
        g = a.T @ (s - y) / len(x)
        h = (a * (s * (1 - s))[:, None]).T @ a / len(x)
        step = np.linalg.solve(h, g)
        theta -= step
        if np.abs(step).max() < 1e-15:
            break
    z = a @ theta
    return (float(theta[0]), float(theta[1])), float(np.mean(np.logaddexp(0.0, z) - y * z))


_LIN_X, _LIN_Y = _linear_data()
_LIN_MIN, _LIN_VALUE = _least_squares(_LIN_X, _LIN_Y)
_LOG_X, _LOG_Y = _logistic_data()
_LOG_MIN, _LOG_VALUE = _logistic_fit(_LOG_X, _LOG_Y)


class LinearRegression(DataLandscape):
    """Least squares for ``y ≈ w x + b`` on 200 points ``x ~ U(0, 3)``, ``y = 2x − 1 + N(0, 0.5²)`` (seeded).

    ``L = ½ mean((w x_i + b − y_i)²)`` is a quadratic with Hessian ``[[mean x², mean x], [mean x, 1]]``
    (eigenvalues about 3.8 and 0.2), so full-batch GD is stable for ``lr < 2/3.8``. The minimizer is the
    least-squares solution and ``min_value`` half the mean squared residual there.
    """

    key = "linear-regression"
    title = "Linear regression on noisy data"
    latex = r"L(w, b) = \frac{1}{2n} \sum_{i=1}^{n} \left(w x_i + b - y_i\right)^2"
    teaches = (
        "The loss of a real model fitted to data: full-batch GD walks straight down the bowl, while SGD's "
        "one-sample gradients jitter around it and never quite settle unless the learning rate decays."
    )
    default_bounds = ((-2.0, 6.0), (-5.0, 3.0))
    default_start = (-1.0, 2.5)
    X, y = _LIN_X, _LIN_Y
    true_params = (2.0, -1.0)
    default_minima = (_LIN_MIN,)
    min_value = _LIN_VALUE

    # Full-batch fast path: L is a quadratic in (w, b) whose coefficients are moments of the data, so
    # the cost per point does not depend on the number of samples (the generic per-sample sum, used by
    # the mini-batches, gives the same numbers to rounding; the tests check that).
    _m: ClassVar[dict[str, float]] = {
        "x": float(np.mean(_LIN_X)),
        "xx": float(np.mean(_LIN_X**2)),
        "y": float(np.mean(_LIN_Y)),
        "xy": float(np.mean(_LIN_X * _LIN_Y)),
        "yy": float(np.mean(_LIN_Y**2)),
    }

    def _value(self, x: Array, y: Array) -> Array:
        m = self._m
        return 0.5 * (x * x * m["xx"] + 2 * x * y * m["x"] + y * y - 2 * x * m["xy"] - 2 * y * m["y"] + m["yy"])

    def _gradient(self, x: Array, y: Array) -> tuple[Array, Array]:
        m = self._m
        return x * m["xx"] + y * m["x"] - m["xy"], x * m["x"] + y - m["y"]

    def _hessian(self, x: Array, y: Array) -> tuple[Array, Array, Array]:
        m = self._m
        return m["xx"], m["x"], 1.0

    @staticmethod
    def loss(z: Array, y: Array) -> Array:
        """Half the squared residual."""
        return 0.5 * (z - y) ** 2

    @staticmethod
    def dloss(z: Array, y: Array) -> Array:
        """The residual ``z − y``."""
        return z - y

    @staticmethod
    def d2loss(z: Array, y: Array) -> Array:
        """1."""
        return np.ones_like(z)


class LogisticRegression(DataLandscape):
    """Logistic regression ``P(y = 1) = σ(w x + b)`` on 200 points ``x ~ N(1, 1.5²)`` (seeded).

    Labels are drawn from ``σ(1.5x − 1)``, so the classes overlap and the mean log-loss
    ``L = mean(log(1 + e^{z_i}) − y_i z_i)`` has a unique minimizer, found by Newton's method.
    """

    key = "logistic-regression"
    step_cost = 240.0  # a sigmoid of every data point (see Landscape.step_cost)
    hessian_cost = 230.0
    title = "Logistic regression on noisy labels"
    latex = r"L(w, b) = \frac{1}{n} \sum_{i=1}^{n} \left[\log\left(1 + e^{w x_i + b}\right) - y_i\,(w x_i + b)\right]"
    teaches = (
        "A convex but not quadratic loss: nearly linear far from the optimum and curved near it, so the "
        "gradient's size says little about the distance left; mini-batches make the path noisy."
    )
    default_bounds = ((-3.0, 6.0), (-5.0, 3.0))
    default_start = (-2.0, 2.0)
    X, y = _LOG_X, _LOG_Y
    true_params = (1.5, -1.0)
    default_minima = (_LOG_MIN,)
    min_value = _LOG_VALUE

    @staticmethod
    def loss(z: Array, y: Array) -> Array:
        """Log-loss ``log(1 + e^z) − y z``, computed without overflow."""
        return np.logaddexp(0.0, z) - y * z

    @staticmethod
    def dloss(z: Array, y: Array) -> Array:
        """``σ(z) − y``."""
        return _sigmoid(z) - y

    @staticmethod
    def d2loss(z: Array, y: Array) -> Array:
        """``σ(z)(1 − σ(z))``."""
        s = _sigmoid(z)
        return s * (1 - s)
