"""The exploding-gradient cliff of a one-unit recurrent network (Pascanu, Mikolov & Bengio 2013, §2.3)."""

from __future__ import annotations

import numpy as np

from .base import Array, Landscape, Param


def sigmoid(x: Array) -> Array:
    """The logistic function, written with ``tanh`` so that it never overflows."""
    return 0.5 + 0.5 * np.tanh(0.5 * x)


def unroll(w: Array, b: Array, steps: int, x0: float = 0.5, order: int = 2) -> tuple[Array, ...]:
    """Run ``x_t = w σ(x_{t−1}) + b`` for ``steps`` steps, carrying derivatives along (forward mode).

    Alongside ``x`` the loop propagates ``∂x/∂w``, ``∂x/∂b`` and, for ``order=2``, the three second
    derivatives; with ``s = σ(x_{t−1})``, ``s' = s(1 − s)``, ``s'' = s'(1 − 2s)``:

    ``x_w ← s + w s' x_w``, ``x_b ← 1 + w s' x_b``,
    ``x_ww ← 2 s' x_w + w (s'' x_w² + s' x_ww)``, ``x_wb ← s' x_b + w (s'' x_w x_b + s' x_wb)``,
    ``x_bb ← w (s'' x_b² + s' x_bb)``.

    This is exact (no truncation, unlike truncated BPTT) and costs a handful of array operations per step
    for any number of points.

    Returns:
        ``(x,)``, ``(x, x_w, x_b)`` or ``(x, x_w, x_b, x_ww, x_wb, x_bb)`` for ``order`` 0, 1, 2.
    """
    w, b = np.broadcast_arrays(np.asarray(w, dtype=float), np.asarray(b, dtype=float))
    x = np.full(w.shape, float(x0))
    zero = np.zeros(w.shape)
    xw, xb, xww, xwb, xbb = zero, zero, zero, zero, zero
    for _ in range(int(steps)):
        s = sigmoid(x)
        if order == 0:
            x = w * s + b
            continue
        s1 = s * (1 - s)
        ws1 = w * s1
        if order >= 2:
            s2 = s1 * (1 - 2 * s)
            ws2 = w * s2
            xww, xwb, xbb = (
                2 * s1 * xw + ws2 * xw * xw + ws1 * xww,
                s1 * xb + ws2 * xw * xb + ws1 * xwb,
                ws2 * xb * xb + ws1 * xbb,
            )
        xw, xb = s + ws1 * xw, 1 + ws1 * xb
        x = w * s + b
    if order == 0:
        return (x,)
    if order == 1:
        return x, xw, xb
    return x, xw, xb, xww, xwb, xbb


class RNNCliff(Landscape):
    """``E(w, b) = (σ(x_T) − 0.7)²`` for the one-unit RNN ``x_t = w σ(x_{t−1}) + b``, ``x_0 = 0.5``.

    Pascanu, Mikolov & Bengio (2013), "On the difficulty of training recurrent neural networks", §2.3 and
    Fig. 6. Gradient and Hessian are exact, by forward-mode differentiation through all ``T`` steps (see
    `unroll`).

    Where the wall is. ``x_0 = 0.5`` is a fixed point of the map ``x ↦ wσ(x) + b`` exactly on the line
    ``b = 0.5 − σ(0.5)·w ≈ 0.5 − 0.6225 w``. For ``w > 1/σ'(0.5) ≈ 4.255`` that fixed point is unstable: just
    below the line the state falls to a low fixed point (σ(x_T) ≈ 0, ``E`` up to 0.49), just above it rises
    to a high one (σ(x_T) → 1, ``E`` → 0.09), and the switch happens within a band of width about
    ``(w σ'(0.5))^{−T}`` (10⁻²–10⁻⁴ in ``b`` for ``w`` = 4.3–5 at ``T = 50``). That band is the wall: the
    gradient reaches ~40 at ``w = 4.3``, ~160 at 4.5 and ~7000 at 5, while a few hundredths away it is 0.1
    or less. For ``w < 4.255`` the same transition is smooth.

    Window ``w ∈ [3, 7]``, ``b ∈ [−4, −1]`` (found by scanning the surface): the wall crosses it diagonally
    from ``(4.26, −2.15)`` to ``(7, −3.86)``; below it a gently sloping plateau (``E`` 0.3–0.49, gradient
    ~0.1), above it a narrow valley with ``E ≈ 0`` hugging the top of the wall, then the flat ``E ≈ 0.09``
    plateau; on the left the transition softens into an ordinary slope. Default start ``(5, −3)``, 0.39 below
    the wall: plain GD creeps up the plateau and, when a step lands on the wall, the next gradient (10²–10³)
    throws it far out of the window (at lr = 0.05 after 49 steps, to about ``(17, 17)``; at lr = 0.1 after
    67 steps, to about ``(9, 5)``), while the same GD with the gradient norm clipped to 1 (Pascanu et al.'s
    remedy) crosses the wall and settles in the valley (``E < 10⁻³``). Larger ``T`` sharpens the wall; at
    ``T`` ≈ 5–10 it is gone.

    The global minimum value is 0, reached along a whole curve ``σ(x_T(w, b)) = 0.7``, so ``minima`` is
    empty and ``min_value`` is 0.
    """

    key = "rnn-cliff"
    # The recurrence, unrolled T steps: 42 a point in bench_sweep --costs, 85 in a sweep's batches of rows
    # (a 200 × 200 sweep of 2,000 GD steps took 95 s); see Landscape.step_cost.
    step_cost = 85.0
    hessian_cost = 115.0
    title = "The exploding-gradient cliff of an RNN"
    latex = r"E(w, b) = \left(\sigma(x_T) - 0.7\right)^2,\quad x_t = w\,\sigma(x_{t-1}) + b,\quad x_0 = 0.5"
    teaches = (
        "Backpropagating through many steps makes the loss a pair of flat plateaus split by a near-vertical "
        "wall: a gradient step that touches the wall is thrown far away, so RNN training clips the gradient norm."
    )
    params = (
        Param("T", "time steps T", 50.0, 5.0, 100.0, integer=True, help="Longer sequences make the wall sharper."),
    )
    default_bounds = ((3.0, 7.0), (-4.0, -1.0))
    default_start = (5.0, -3.0)
    min_value = 0.0
    X0 = 0.5
    TARGET = 0.7

    def _value(self, x: Array, y: Array) -> Array:
        (h,) = unroll(x, y, int(self.p["T"]), self.X0, order=0)
        return (sigmoid(h) - self.TARGET) ** 2

    def _gradient(self, x: Array, y: Array) -> tuple[Array, Array]:
        h, hw, hb = unroll(x, y, int(self.p["T"]), self.X0, order=1)
        s = sigmoid(h)
        c = 2 * (s - self.TARGET) * s * (1 - s)  # dE/dx_T
        return c * hw, c * hb

    def _hessian(self, x: Array, y: Array) -> tuple[Array, Array, Array]:
        h, hw, hb, hww, hwb, hbb = unroll(x, y, int(self.p["T"]), self.X0, order=2)
        s = sigmoid(h)
        s1 = s * (1 - s)
        s2 = s1 * (1 - 2 * s)
        e1 = 2 * (s - self.TARGET) * s1  # dE/dx_T
        e2 = 2 * s1 * s1 + 2 * (s - self.TARGET) * s2  # d²E/dx_T²
        return e2 * hw * hw + e1 * hww, e2 * hw * hb + e1 * hwb, e2 * hb * hb + e1 * hbb
