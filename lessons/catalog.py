"""The lessons: scenes plus words. Every number in an explanation was measured on its scene
(``tests/test_lessons.py`` re-checks the ones that can be checked numerically).

Values sit on the controls' grids (learning rates on the 1-1.2-1.5-2-2.5-3-4-…-9 log grid, ε on the
1-2-5 grid), so loading a lesson into the sidebar and reading it back gives the same scene.
"""

from __future__ import annotations

from scene import CUSTOM, Scene, runs_from

from .base import Lesson, lesson

LEARNING_RATE = lesson(
    "learning-rate",
    "η too small, just right, too large",
    Scene(
        landscape="quadratic",
        runs=runs_from([("gd", {"lr": 0.01}), ("gd", {"lr": 0.1}), ("gd", {"lr": 0.2}), ("gd", {"lr": 0.25})]),
        steps=60,
    ),
    "Four copies of plain gradient descent on the same bowl, at η = 0.01, 0.1, 0.2 and 0.25. "
    "Which ones reach the minimum in 60 steps, and what do the others do?",
    r"""
    The steepest curvature of this bowl is $\lambda_{\max} = 10$ (across the valley), the flattest
    $\lambda_{\min} = 1$ (along it). On a quadratic, each GD step multiplies the distance from the minimum
    along a curvature direction $\lambda$ by $1 - \eta\lambda$. GD is stable only if $|1 - \eta\lambda_{\max}| < 1$,
    that is $\eta < 2/\lambda_{\max} = 0.2$: the **stability limit**.

    - **η = 0.01, too small:** the factors are 0.9 across and 0.99 along the valley; after 60 steps
      $0.99^{60} \approx 0.55$ of the distance along the floor is still left.
    - **η = 0.1, just right:** $1 - 0.1 \cdot 10 = 0$, so the first step wipes out the steep direction; the
      flat one shrinks by 0.9 per step and the run arrives.
    - **η = 0.2, exactly the limit:** the factor across is $-1$: the path bounces from wall to wall forever
      with the same amplitude while it slides along the floor. It never settles.
    - **η = 0.25, too large:** the factor is $-1.5$; every step overshoots further than the last, the loss grows
      about 2.25-fold per step and the path leaves the picture within a few steps.

    The limit depends on the *steepest* direction only, which is why one steep direction forces a small η on
    every other one (the next lesson).
    """,
    source="Seed 002's GD rule θ ← θ − η∇L and the stability analysis of GD on a quadratic.",
)

RAVINE = lesson(
    "ravine",
    "A ravine: GD vs momentum",
    Scene(
        landscape="quadratic",
        landscape_params=(("kappa", 100.0),),
        runs=runs_from([("gd", {"lr": 0.15}), ("momentum", {"lr": 0.5, "beta": 0.9})]),
        steps=150,
    ),
    "A long, narrow valley: 100 times steeper across than along. Gradient descent against momentum (β = 0.9). "
    "Which one reaches the minimum first, and what do their paths look like?",
    r"""
    Across the valley the curvature is $\lambda_{\max} = 10$, along it only $\lambda_{\min} = 0.1$ (condition
    number κ = 100). **GD** must keep η below $2/\lambda_{\max} = 0.2$; at η = 0.15 the factor across is
    $1 - 1.5 = -0.5$: the first step throws it against the far wall and it **zig-zags** back, each bounce half
    the last, so after a few bounces (drawn on top of each other: the spur near the start) it lies on the
    floor. There it **crawls**, by a factor $1 - 0.15 \cdot 0.1 = 0.985$ per step: after 150 steps about a
    tenth of the way is still left. (η = 0.2 would bounce for ever; a bigger η diverges.)

    **Momentum** keeps a running average of the gradients, $v \leftarrow \beta v + (1-\beta) g$, and steps
    $\eta v$. Along the floor the gradient points the same way every step, so the average builds up and the
    ball **races** ahead (the seeds' ball that "glides"). Across the valley it never flips back and forth
    from one step to the next as GD does (a gradient that flips sign every step cancels in the average:
    the damped zig-zag of the seeds); instead, released on the wall, the heavy ball **swings** to the far
    wall and back, once about every 8 steps: the wide zig-zag in its panel, wider at first than GD's
    spur. Its swing and its run along the floor both shrink by $\sqrt{\beta} \approx 0.95$ per step (a
    heavy ball's rate), far faster than GD's 0.985 along the floor: after 150 steps its loss is below
    $10^{-7}$, GD's still about $3\times10^{-3}$. Press ▶ Play: the finished paths hide the speed, the
    animation shows it (GD's straight line is drawn slowly).

    Fair comparison? In this averaged (EMA) form the first step is $(1-\beta)\eta = 0.05$ times the gradient,
    smaller than GD's 0.15; the extra speed comes from accumulation, not from a bigger step.
    """,
    source="Seeds 001 (momentum dampens oscillations), 002 (reduces zig-zag) and 003 (the ball 'glides').",
)

ROSENBROCK = lesson(
    "rosenbrock",
    "Rosenbrock's banana valley",
    Scene(
        landscape="rosenbrock",
        runs=runs_from(
            [("gd", {"lr": 0.001}), ("momentum", {"lr": 0.01}), ("rmsprop", {"lr": 0.01}), ("adam", {"lr": 0.05})]
        ),
        steps=500,
    ),
    "The classic curved valley, minimum at (1, 1). GD, momentum, RMSprop and Adam start from (−1.2, 1). "
    "Rank them: who gets closest to the minimum in 500 steps?",
    r"""
    The valley floor is curved and almost flat, the walls are steep: at the minimum the curvatures are about
    1000 and 0.4. **GD** at η = 0.001 is near its stability limit ($2/1000$); it drops into the valley in
    one step and then crawls along the floor, still far from (1, 1) after 500 steps.

    **Momentum** (β = 0.9, η = 0.01, so the same 0.001 per gradient as GD) builds up speed along the floor
    and arrives first, within 0.1 of the minimum. **RMSprop** and **Adam** divide each coordinate's step by
    the recent size of its gradient, so they take steps of roughly η whatever the slope: they leave the
    start quickly but then move at about that pace along the bending floor, and are still on the way
    after 500 steps (Adam ahead of RMSprop).

    The ranking depends on the learning rates and the surface; the lesson is the *shape* of each path:
    GD's crawl, momentum's overshooting swings, the adaptive methods' even strides.
    """,
    source="Seeds 000–004 (GD, momentum, RMSprop, Adam); Rosenbrock (1960).",
)

SADDLE = lesson(
    "saddle",
    "A saddle: stall or escape",
    Scene(
        landscape="saddle",
        runs=runs_from(
            [("gd", {"lr": 0.02}), ("gd", {"lr": 0.02, "noise": 0.1}), ("sgd", {"lr": 0.02, "momentum": 0.9})]
        ),
        start=(1.8, 0.0001),
        steps=200,
    ),
    "The runs start almost exactly on the ridge line of the saddle $x^2 - y^2$ (y = 0.0001). Plain GD, GD "
    "with a little gradient noise, and GD with momentum (PyTorch's SGD, μ = 0.9): which ones get away from "
    "the saddle point?",
    r"""
    At the origin the gradient is zero but it is not a minimum: downhill lies along ±y. **GD** slides down
    the x-direction towards the saddle (factor $1 - 2\eta = 0.96$ per step) and the tiny y-offset only grows by
    $1 + 2\eta = 1.04$ per step, from 0.0001: after 200 steps it is still only about 0.26 from the
    saddle. It **stalls** where the gradient vanishes.

    **Noise** (σ = 0.1 added to every gradient component, as in stochastic gradient descent) kicks the
    point off the ridge; once off, the negative curvature takes over and it leaves the picture after about
    140 steps.
    **Momentum** (PyTorch SGD, μ = 0.9, same η) compounds the growth along y: the offset grows by about
    1.17 per step instead of 1.04, and the run leaves the picture after about 65 steps.

    In high dimensions saddle points vastly outnumber minima, which is one reason noisy, momentum-based
    training works better than exact gradient descent would suggest.
    """,
    source="Seed 001 (momentum escapes); Dauphin et al. 2014 on saddle points.",
)

LOCAL_MINIMUM = lesson(
    "local-minimum",
    "A local minimum",
    Scene(
        landscape=CUSTOM,
        formula="(x^2 - 1)^2 + 0.3*x + y^2",
        formula_bounds=((-2.0, 2.0), (-1.5, 1.5)),
        runs=runs_from([("gd", {"lr": 0.05}), ("sgd", {"lr": 0.05, "momentum": 0.9}), ("adam", {"lr": 0.1})]),
        start=(1.6, 1.0),
        steps=200,
    ),
    "Two valleys, and the left one (☆) is deeper. Every run starts above the right one. Gradient descent, "
    "heavy-ball momentum (PyTorch's SGD, μ = 0.9) and Adam: which of them end in the deeper valley?",
    r"""
    **The two valleys.** Along $y = 0$ the slope $4x(x^2 - 1) + 0.3$ vanishes at $x \approx -1.036$ (loss
    −0.305: the deeper valley, ☆, the lowest point the page finds in the window), at $x \approx 0.960$ (loss
    0.294: a *local* minimum) and at $x \approx 0.075$, the top of the hump between them (loss 1.011).

    **GD** (η = 0.05) only goes downhill: its loss falls at every step, so from the start (loss 3.91) it
    slides into the valley below it and stays there, at the local minimum. A pure descent method cannot
    climb a hump.

    **Heavy-ball momentum** (PyTorch SGD, μ = 0.9, the same η) keeps 90% of its velocity. It comes down too
    fast to stop at the bottom, runs over the hump (at step 4) as far as $x \approx -1.51$, and settles in
    the deeper valley. From higher up it can have too much speed: started at (1.8, 0.5) it crosses back and
    ends in the right valley. Momentum helps a run out of shallow minima; it does not aim for the deepest.

    **Adam** (η = 0.1) has momentum too, but it divides by the root of the squared gradients' average, so
    its steps stay about η long however steep the slope: it overshoots the bottom only to $x \approx 0.67$
    and settles in the right valley as well.

    **Every start at once:** the Sweeps tab's basin maps colour each start point by the valley its run ends
    in. Gradient descent's two basins meet at the hump; heavy-ball momentum's come in stripes, because how
    often it crosses depends on how high it starts.
    """,
    source="Seed 001 (momentum escapes shallow minima); a custom formula with its minimum found numerically.",
)

ADAGRAD = lesson(
    "adagrad",
    "AdaGrad against RMSprop",
    Scene(
        landscape="rosenbrock",
        runs=runs_from([("adagrad", {"lr": 0.3}), ("rmsprop", {"lr": 0.03, "alpha": 0.9})]),
        start=(-1.5, -0.5),
        steps=500,
    ),
    "AdaGrad (η = 0.3) and RMSprop (η = 0.03, ten times smaller) start on a steep wall of the banana valley. "
    "AdaGrad is faster at first. Which one is closer to the minimum after 500 steps?",
    r"""
    Both divide the step by the root of accumulated squared gradients, but differently. **AdaGrad** *sums*
    them, $G \leftarrow G + g^2$, and steps $\eta\, g/\sqrt{G}$: $G$ never shrinks, so the effective learning
    rate $\eta/\sqrt{G}$ can only go down. The start is on a steep wall, with gradient about (−1655, −550),
    so after the very first step the effective rate is already about $0.3/1655 \approx 2\times10^{-4}$ in x.
    AdaGrad races down the wall into the valley in about 25 steps, and then, on the gentle floor, it
    crawls: its memory of the wall never fades, and 475 more steps barely move it.

    **RMSprop** keeps a *moving average* instead, $v \leftarrow \alpha v + (1-\alpha) g^2$ with α = 0.9, which
    forgets the wall within a few dozen steps; its effective rate recovers on the flat floor (it grows
    more than tenfold) and it walks on towards (1, 1).

    As seed 003 puts it, AdaGrad's scaled learning rate "will eventually perish to dust": fine near
    convergence, fatal when the path is long.
    """,
    source="Seed 003 (AdaGrad's η_scaled shrinks to near zero).",
)

ADAM_BIAS = lesson(
    "adam-bias-correction",
    "Adam's bias correction",
    Scene(
        landscape="booth",
        runs=runs_from([("adam", {"lr": 0.5}), ("adam", {"lr": 0.5, "bias_correction": False})]),
        steps=100,
    ),
    "Adam (η = 0.5) with and without bias correction $\\hat m = m/(1-\\beta_1^t)$, "
    "$\\hat v = v/(1-\\beta_2^t)$. Which one takes the bigger first steps?",
    r"""
    Seed 004 says the correction gives "large learning steps in early training", and seed 003 that it
    "warms up" moments that start at zero. Both averages do start at zero, but with the default
    β₁ = 0.9 and β₂ = 0.999 the *second* moment is far more biased: after one step $m_1 = 0.1\,g$ but
    $v_1 = 0.001\,g^2$, so without correction the step is $\eta \cdot 0.1/\sqrt{0.001} \approx 3.16\,\eta$
    per coordinate instead of $\eta$.

    So the uncorrected Adam (seed 000's formula) takes the **bigger** early steps: its first step here is
    2.24 long against 0.71, its strides grow to about 3.4, and it overshoots the minimum (1, 3) by several
    units before coming back. With correction, Adam's first steps are η per coordinate (0.71 long) and it
    walks straight at the minimum, within 0.1 of it at step 21; its momentum then carries it about 1.9
    past and back once before it settles (0.04 away at step 50).

    Kingma & Ba (2014, §3 and §6.4) make the same point: the correction matters most when β₂ is close to 1,
    where leaving it out gives too-large initial steps and unstable training.
    """,
    source="Seeds 000 (Adam without correction) and 004 (with); Kingma & Ba 2014.",
)

EPSILON = lesson(
    "epsilon",
    "ε: its size, and inside the root",
    Scene(
        landscape="quadratic",
        runs=runs_from(
            [
                ("rmsprop", {"lr": 0.02, "alpha": 0.9}),
                ("rmsprop", {"lr": 0.02, "alpha": 0.9, "eps": 0.01}),
                ("rmsprop", {"lr": 0.02, "alpha": 0.9, "eps": 0.01, "eps_inside": True}),
                ("rmsprop", {"lr": 0.02, "alpha": 0.9, "eps": 0.1}),
            ]
        ),
        steps=200,
    ),
    "RMSprop four times, differing only in ε: 10⁻⁸, 0.01, 0.01 written inside the root, and 0.1. "
    "Does the tiny number ‘that only prevents division by zero’ change the path?",
    r"""
    RMSprop steps $\eta\, g/(\sqrt{v} + \varepsilon)$ (PyTorch, seed 004) or $\eta\, g/\sqrt{v + \varepsilon}$
    (Keras, seeds 000, 002, 003). Where $\sqrt v \gg \varepsilon$ both are $\eta\,g/\sqrt v \approx \eta \cdot$ sign:
    steps of about η whatever the slope. Where the gradient is small, ε takes over and the method turns into
    plain gradient descent with learning rate $\eta/\varepsilon$ (outside) or $\eta/\sqrt{\varepsilon}$ (inside).

    - **ε = 10⁻⁸:** sign-like steps of ~η = 0.02 all the way in, so near the minimum it keeps jittering
      back and forth instead of settling.
    - **ε = 0.01 outside:** almost the same; gradients must drop below 0.01 before it matters.
    - **ε = 0.01 inside:** the root makes it act like ε = 0.1 outside: near the minimum it becomes GD with
      η/0.1 = 0.2 and settles smoothly to ~10⁻⁹.
    - **ε = 0.1 outside:** from the start the steps are damped; it is the slowest of the four.

    Same symbol, same number, different algorithm: when copying hyperparameters between frameworks, check
    where ε sits (PyTorch outside, Keras/Optax RMSprop inside) and its default (10⁻⁸ vs 10⁻⁷).
    """,
    source="Seeds 000, 002, 003 (ε inside the root) vs 004 and PyTorch (outside).",
)

BATCH = lesson(
    "batch-size",
    "GD vs SGD vs mini-batch",
    Scene(
        landscape="linear-regression",
        runs=runs_from(
            [("gd", {"lr": 0.2}), ("gd", {"lr": 0.2, "batch_size": 1}), ("gd", {"lr": 0.2, "batch_size": 16})]
        ),
        steps=150,
    ),
    "Fitting a line to 200 noisy points. The same gradient descent uses all 200 points per step (B = 0, "
    "full batch), one random point (B = 1, SGD), or 16 (mini-batch). How do the three paths differ?",
    r"""
    Each point of this surface is a line (slope w, intercept b); the loss is the mean squared error over
    the 200 samples. **Full-batch GD** computes the exact gradient: a smooth path straight into the
    minimum, but each step reads all 200 samples.

    **SGD** (B = 1) estimates the gradient from one random sample per step: right on average, but very
    noisy, so the path wanders and, at a constant η, never settles; it keeps hopping around the minimum.
    **Mini-batch** (B = 16) averages 16 samples: the noise shrinks by about $\sqrt{16} = 4$, the path is
    almost as smooth as GD's while each step costs 16 samples instead of 200.

    Per *step*, GD looks best; per *sample read* (the real cost on a big dataset), SGD and mini-batches
    are far ahead: in 150 steps GD read 30 000 samples, mini-batch 2 400, SGD 150. That is seed 002's
    "best of both worlds".
    """,
    source="Seed 002 (GD, SGD and mini-batch gradient descent).",
)

RNN_CLIFF = lesson(
    "rnn-cliff",
    "The RNN cliff and clipping",
    Scene(
        landscape="rnn-cliff",
        runs=runs_from([("gd", {"lr": 0.05}), ("gd", {"lr": 0.05, "clip_norm": 1.0})]),
        steps=200,
    ),
    "The loss of a one-unit recurrent net over its weight and bias: a plateau, a cliff, a valley. "
    "Plain GD and GD with the gradient norm clipped to 1 creep up the plateau. What happens at the cliff?",
    r"""
    Unrolled over 50 time steps, the network's state either dies out or saturates, and the switch between
    the two happens within a tiny band of parameters: the **cliff**. On the plateau the gradient is about
    0.1; on the wall it is hundreds of times larger. That is the **exploding gradient** of RNNs.

    **Plain GD** creeps up the plateau for about 50 steps; then one step lands on the wall, the next gradient
    (norm about 450) times η = 0.05 throws it more than 20 units away, far outside the picture, onto a flat
    region where it is stuck for good (loss 0.09).

    **Clipping** rescales any gradient longer than 1 to length 1 (Pascanu, Mikolov & Bengio 2013, Algorithm
    1; PyTorch's `clip_grad_norm_`): the direction is kept, the size is capped, so no step is longer than
    η · 1 = 0.05. The clipped run crosses the cliff at step 50 and reaches the valley, where the loss is
    about 0.01 against 0.4 on the plateau. It does not come to rest there: the valley's lowest ground runs
    along the foot of the wall, and its steps of 0.05 keep hopping over the edge and back, so its loss
    flickers between about 0.01 below the cliff and 0.3 on top of it (the spikes in its loss curve). But
    every hop is capped: the run stays at the valley's edge, within half a unit, where plain GD was thrown
    away for good. Seeds 000 and 001: always combine clipping with any optimizer when training RNNs.
    """,
    source="Seed 000 (always clip when training RNNs); Pascanu, Mikolov & Bengio 2013, §2.3 and Fig. 6.",
)

LR_DECAY = lesson(
    "lr-decay",
    "Learning-rate decay and noise",
    Scene(
        landscape="quadratic",
        runs=runs_from(
            [
                ("gd", {"lr": 0.05, "noise": 3.0}),
                ("gd", {"lr": 0.05, "noise": 3.0, "schedule": "inverse_time", "decay": 0.05}),
            ]
        ),
        steps=300,
    ),
    "Gradient descent with noisy gradients (σ = 3), once at a constant η = 0.05 and once with η decaying as "
    "$\\eta_0/(1 + 0.05\\,(t-1))$ at step $t$. Both reach the bottom of the bowl. Which one stays there?",
    r"""
    With noisy gradients (standing in for mini-batches), a constant η means every step adds a random kick
    of size about ησ. The pull of the bowl and the kicks balance: the **constant-η** run reaches the minimum
    quickly and then keeps wandering around it, about 0.3 away on average, for as long as it runs.

    **Decay** shrinks the kicks: with $\eta_t = \eta_0/(1 + 0.05\,(t-1))$ the learning rate is 16 times
    smaller at step 300, and the run settles about ten times closer to the minimum. Decaying like $1/t$ is the
    classic recipe (Robbins & Monro): the steps still add up to an infinite distance, so the run can get
    anywhere, but the noise they inject adds up to a finite amount.

    Decay too fast and the run freezes wherever it happens to be; too slow and it keeps wandering. Seed 000:
    "use momentum or learning rate decay".
    """,
    source="Seed 000 (use momentum or learning-rate decay); Robbins & Monro 1951.",
)

NEWTON_BOWL = lesson(
    "newton-bowl",
    "Newton on a quadratic",
    Scene(
        landscape="quadratic",
        landscape_params=(("kappa", 100.0),),
        runs=runs_from([("newton", {}), ("gd", {"lr": 0.15})]),
        steps=30,
    ),
    "Newton's method against gradient descent in a narrow valley (κ = 100). How many steps does Newton need?",
    r"""
    Newton's method divides the gradient by the curvature: $\theta \leftarrow \theta - H^{-1} g$. On a quadratic,
    $f = \tfrac12 \theta^\top H \theta$, the gradient is $g = H\theta$, so one full step ($\eta = 1$) gives
    $\theta - H^{-1}H\theta = 0$: **the minimum in a single step**, however narrow the valley. It takes big steps
    where the surface is flat and small ones where it is steep, exactly what GD cannot do with one η.

    **GD** (η = 0.15, under the limit $2/\lambda_{\max} = 0.2$) is still far away after 30 steps: the factor
    along the floor is $1 - 0.15 \cdot 0.1 = 0.985$.

    The price (seed 002): every step needs the Hessian, $d^2$ numbers for $d$ parameters, and a linear
    solve; for a network with millions of weights that is out of reach, which is why Newton's method is
    rarely used in deep learning.
    """,
    source="Seed 002 (second-order optimizers, Newton's method).",
)

NEWTON_SADDLE = lesson(
    "newton-saddle",
    "Newton's method at a saddle",
    Scene(
        landscape="saddle",
        runs=runs_from([("newton", {}), ("gd", {"lr": 0.05})]),
        steps=30,
    ),
    "The same Newton step on the saddle $x^2 - y^2$, starting near the ridge at (1.8, 0.01). "
    "Where would plain Newton's method land, and what does this app's Newton do?",
    r"""
    Plain Newton jumps to the critical point of the local quadratic model, whatever kind it is. Here
    $H = \mathrm{diag}(2, -2)$ and $g = (2x, -2y)$, so $-H^{-1}g = (-x, -y)$: from *any* start, plain Newton
    lands **exactly on the saddle** (0, 0) in one step and stays there, since the gradient is zero. It is
    attracted to saddles and maxima as much as to minima.

    This app's Newton is the **saddle-free** variant (Dauphin et al. 2014): it divides by $|\lambda|$ instead
    of $\lambda$. Along x ($\lambda = 2$) it still jumps straight to x = 0; along y ($\lambda = -2$) the sign flips,
    so it moves *downhill*, and y doubles every step: 0.01, 0.02, 0.04, … it leaves the picture after 8
    steps (this surface has no bottom). **GD** meanwhile slides towards the saddle and lingers there.

    (Plain, undamped Newton is not available as a control here; its one step to the saddle is the
    calculation above.)
    """,
    source="Seed 002 (Newton's method); Dauphin et al. 2014 (saddle-free Newton).",
)

FRAMEWORKS = lesson(
    "frameworks",
    "Same names, same paths?",
    Scene(
        landscape="rosenbrock",
        runs=runs_from(
            [
                ("sgd", {"lr": 0.002, "momentum": 0.9}),
                ("momentum", {"lr": 0.002, "beta": 0.9}),
                ("rmsprop", {"lr": 0.01}),
                ("rmsprop", {"lr": 0.01, "alpha": 0.9}),
            ]
        ),
        steps=300,
    ),
    "‘Momentum 0.9, η = 0.002’ in PyTorch and in the textbook EMA form; ‘RMSprop, η = 0.01’ with PyTorch's "
    "α = 0.99 and with Keras' and Hinton's 0.9. Same names, same numbers: same paths?",
    r"""
    **Momentum.** PyTorch (and Keras, Optax, seed 002) accumulate $b \leftarrow \mu b + g$ and step $\eta b$;
    the EMA form of seed 003 averages, $v \leftarrow \beta v + (1-\beta) g$, and steps $\eta v$. The EMA
    velocity is $(1-\beta) = 0.1$ times PyTorch's, so at the same η its steps are ten times smaller: PyTorch's
    run is near (1, 1) after 300 steps while the EMA run is still in the valley. To match them, use
    $\eta_{\text{EMA}} = \eta_{\text{PyTorch}}/(1-\beta)$.

    **RMSprop.** PyTorch's default α = 0.99 averages over ~100 steps; Keras, Optax and Hinton's lecture use
    0.9 (~10 steps). Both start from $v = 0$ without bias correction, so the first step is
    $\eta/\sqrt{1-\alpha}$ per coordinate: 10η for α = 0.99, 3.2η for 0.9. The long memory of 0.99 then keeps
    the steps small after the steep start, and the paths separate: α = 0.9 gets much further in 300 steps.

    Other silent differences: ε inside or outside the root (see the ε lesson), its default (10⁻⁸ PyTorch,
    10⁻⁷ Keras), coupled vs decoupled weight decay. Copying "the same" hyperparameters between frameworks
    does not copy the run.
    """,
    source="PyTorch torch.optim.SGD and RMSprop; Keras 3 and Optax; seeds 002 and 003; REFERENCE.md.",
)

#: Every lesson, in teaching order.
LESSONS: tuple[Lesson, ...] = (
    LEARNING_RATE,
    RAVINE,
    ROSENBROCK,
    SADDLE,
    LOCAL_MINIMUM,
    ADAGRAD,
    ADAM_BIAS,
    EPSILON,
    BATCH,
    RNN_CLIFF,
    LR_DECAY,
    NEWTON_BOWL,
    NEWTON_SADDLE,
    FRAMEWORKS,
)
