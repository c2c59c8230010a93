"""Tests of `landscapes.formula`: a landscape from a formula that a person types.

Three parts: hostile inputs must raise ``ValueError`` quickly and say where; correct formulas must
match hand-written NumPy (value, gradient, Hessian); and properties (hypothesis) over random text
and random well-formed formulas.
"""

from __future__ import annotations

import base64
import io
import math
import pickle
import time
import warnings
from collections.abc import Callable

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from landscapes import get
from landscapes.base import REGISTRY, Landscape
from landscapes.display import display_scale, display_transform, grid
from landscapes.formula import (
    FUNCTIONS,
    MAX_CONSTANT,
    MAX_EXPONENT,
    MAX_LENGTH,
    MAX_NODES,
    FormulaLandscape,
    _compile,
    _diff,
    from_formula,
    parse_formula,
)
from viz.surface import SurfaceImage, render

FAST = 0.5  # seconds: the most any single call may take


def rejects(text: object, bounds: object = ((-3, 3), (-3, 3))) -> str:
    """Assert ``from_formula(text)`` raises ``ValueError`` within `FAST` seconds; return the message."""
    start = time.perf_counter()
    with pytest.raises(ValueError) as info:
        from_formula(text, bounds)  # type: ignore[arg-type]
    elapsed = time.perf_counter() - start
    assert elapsed < FAST, f"took {elapsed:.3f}s to reject {text!r:.60}"
    return str(info.value)


# --- hostile inputs ----------------------------------------------------------------------------------
HOSTILE: list[tuple[str, str]] = [
    # (text, a fragment the message must contain)
    ("__import__('os')", "unknown function '__import__'"),
    ("__import__('os').system('ls')", "only the named functions can be called"),
    ("().__class__.__bases__", "attribute access"),
    ("().__class__.__bases__[0].__subclasses__()", "only the named functions can be called"),
    ("x.__class__", "attribute access"),
    ("x.real", "attribute access"),
    ("sin.__globals__", "attribute access"),
    ("(lambda: 1)()", "only the named functions can be called"),
    ("lambda: 1", "lambda"),
    ("[c for c in 'abc']", "list comprehension"),
    ("(c for c in x)", "generator expression"),
    ("{c: 1 for c in x}", "dict comprehension"),
    ("{c for c in x}", "set comprehension"),
    ("import os", "syntax error at column 1"),
    ("exec('print(1)')", "unknown function 'exec'"),
    ("eval('1')", "unknown function 'eval'"),
    ("open('/etc/passwd')", "unknown function 'open'"),
    ("getattr(x, 'y')", "unknown function 'getattr'"),
    ("globals()", "unknown function 'globals'"),
    ("9**9**9**9", "exponent"),
    ("9^9^9^9", "exponent"),
    ("2**10**10", "exponent"),
    ("x**99999999", "too large"),
    ("x**9.5**9", "exponent"),
    ("x^11", "exponent 11 is too large"),
    ("x^-11", "exponent -11 is too large"),
    ("x^(2^4)", "exponent 16"),
    ("x^y", "both sides of a power"),
    ("x^(x^x)", "both sides of a power"),
    ("(-2)^x", "must be positive"),
    ("0^x", "must be positive"),
    ("0^(-1)", "not a finite real number"),
    ("(-8)^(1/3)", "not a finite real number"),
    ("(" * 10_000 + "x" + ")" * 10_000, "characters long"),
    ("(" * 240 + "x" + ")" * 240, "nested more than 30 deep"),
    ("[" * 100 + "x" + "]" * 100, "nested more than 30 deep"),
    ("sin(" * 100 + "x" + ")" * 100, "characters long"),
    ("sin(" * 40 + "x" + ")" * 40, "nested more than 30 deep at column 124"),
    ("-" * 499 + "x", "nested more than"),
    ("+".join(["x"] * 60), "nested more than"),
    ("x" * 100_000, "characters long"),
    ("x + " * 30_000 + "y", "characters long"),
    ("x\x00", "'\\x00'"),
    ("\x00", "column 1"),
    ("x + \x07", "column 5"),
    ("x\u200b + y", "U+200B"),
    ("z", "unknown name 'z'"),
    ("x + q", "column 5"),
    ("os", "unknown name 'os'"),
    ("__builtins__", "unknown name '__builtins__'"),
    ("x[0]", "indexing"),
    ("x[::2]", "indexing"),
    ("[x][0]", "indexing"),
    ("foo(x)", "unknown function 'foo'"),
    ("print(x)", "unknown function 'print'"),
    ("sin(x=1)", "keyword arguments"),
    ("sin(x, base=2)", "keyword arguments"),
    ("sin(*x)", "starred"),
    ("sin(**x)", "keyword arguments"),
    ("sin()", "exactly one argument, got 0"),
    ("sin(x, y)", "exactly one argument, got 2"),
    ("f'{x}'", "f-string"),
    ("f'{__import__(\"os\")}'", "f-string"),
    ("(a := 1)", "walrus"),
    ("x < y", "comparison"),
    ("x == y", "comparison"),
    ("x and y", "boolean operator"),
    ("x or y", "boolean operator"),
    ("not x", "'not'"),
    ("x if y else 1", "conditional"),
    ("1j", "complex"),
    ("x + 2j", "complex"),
    ("'abc'", "strings"),
    ("b'abc'", "strings"),
    ("'a' * 10**9", "strings"),
    ("None", "not a number"),
    ("True", "not a number"),
    ("...", "not a number"),
    ("x % 2", "'%'"),
    ("x // 2", "'//'"),
    ("x @ y", "'@'"),
    ("x << 2", "'<<'"),
    ("x | y", "'|'"),
    ("x & y", "'&'"),
    ("~x", "'~'"),
    ("(x, y)", "tuple"),
    ("[x, y]", "a list"),
    ("{x}", "a set"),
    ("{'a': x}", "a dict"),
    ("await x", "not allowed"),
    ("x; y", "syntax error at column 2"),
    ("x = 1", "syntax error"),
    ("2x", "syntax error at column 1"),
    ("x +", "syntax error at the end"),
    ("x ** ** 2", "syntax error"),
    ("sin(x", "never closed"),
    ("x)", "unmatched ')' at column 2"),
    ("(x]", "does not match"),
    ("", "empty"),
    ("   ", "empty"),
    ("sin", "sin is a function"),
    ("sin + 1", "sin is a function"),
    ("sin(x)(y)", "only the named functions can be called"),
    ("1e400", "too large"),
    ("10000001", "too large"),
    ("1" * 400, "too large"),
    ("0x7fffffffffffffff", "too large"),
    ("x ** -1e6", "exponent"),
    ("x\ny = 2", "syntax error"),
    ("log(-1 - x^2 - y^2)", "not finite anywhere"),
    ("1/0", "not finite anywhere"),
    ("sqrt(-1)", "not finite anywhere"),
]


@pytest.mark.parametrize(("text", "fragment"), HOSTILE, ids=[repr(t[:30]) for t, _ in HOSTILE])
def test_hostile_input_raises_value_error_quickly(text: str, fragment: str) -> None:
    message = rejects(text)
    assert fragment in message, message


def test_non_text_is_refused() -> None:
    for value in (None, 1, 1.5, b"x", ["x"], {"x": 1}):
        assert "must be text" in rejects(value)


def test_messages_give_the_column_in_the_text_as_typed() -> None:
    # `^` becomes `**` internally; the column must still count the characters the person typed
    assert "column 7 ('foo')" in rejects("x^2 + foo(y)")
    assert "column 13 ('q')" in rejects("x^2 + y^2 + q")
    assert "column 3 ('11')" in rejects("x^11")
    assert "column 5 ('z')" in rejects("  x+z")  # leading blanks count too
    assert "at the end" in rejects("x^2 + y^2 +")
    assert "column 5 ('^')" in rejects("x ^ ^ 2")
    assert "column 9 ('a')" in rejects("x^2 + 2^a")


def test_length_limit_is_exact() -> None:
    ok = "x" + " " * (MAX_LENGTH - 1)
    assert from_formula(ok).formula == "x"
    assert "characters long" in rejects(ok + " ")


def test_node_limit() -> None:
    # sums of products: many parts, short text, shallow nesting
    def terms(n: int) -> str:
        return "+".join(["x*y*x*y*x*y*x"] * n)  # 13 parts per term

    assert from_formula(terms(14)).value([1.0, 1.0]) == 14.0  # 14 * 13 + 13 + 1 = 196 parts
    assert f"more than {MAX_NODES} parts" in rejects(terms(16))


def test_constant_and_exponent_limits_are_inclusive() -> None:
    assert from_formula(f"{MAX_CONSTANT:.0f}*x").value([1.0, 0.0]) == MAX_CONSTANT
    assert from_formula(f"x^{MAX_EXPONENT:g} + y^-{MAX_EXPONENT:g}").value([2.0, 1.0]) == 2.0**MAX_EXPONENT + 1
    assert from_formula("x^(20/2)").value([2.0, 0.0]) == 1024.0


def test_compiled_programs_are_bounded() -> None:
    tree = parse_formula("sin(x*y)*cos(x + y)*exp(x/y)")
    gx = _diff(tree, "x", {})
    with pytest.raises(ValueError, match="too complex"):
        _compile([_diff(gx, "x", {})], limit=10, what="Hessian")


# --- correct formulas against hand-written NumPy --------------------------------------------------
def zeros(x: np.ndarray) -> np.ndarray:
    return np.zeros_like(x)


Fn = Callable[[np.ndarray, np.ndarray], np.ndarray]
sech2 = lambda t: 1.0 / np.cosh(t) ** 2  # noqa: E731

CORRECT: list[tuple[str, tuple[tuple[float, float], tuple[float, float]], Fn, tuple[Fn, Fn], tuple[Fn, Fn, Fn]]] = [
    (
        "x**2 + 3*sin(y)",
        ((-3, 3), (-3, 3)),
        lambda x, y: x**2 + 3 * np.sin(y),
        (lambda x, y: 2 * x, lambda x, y: 3 * np.cos(y)),
        (lambda x, y: 2 + zeros(x), lambda x, y: zeros(x), lambda x, y: -3 * np.sin(y)),
    ),
    (
        "(1 - x)^2 + 100*(y - x^2)^2",
        ((-2, 2), (-1, 3)),
        lambda x, y: (1 - x) ** 2 + 100 * (y - x**2) ** 2,
        (lambda x, y: -2 * (1 - x) - 400 * x * (y - x**2), lambda x, y: 200 * (y - x**2)),
        (lambda x, y: 2 - 400 * (y - x**2) + 800 * x**2, lambda x, y: -400 * x, lambda x, y: 200 + zeros(x)),
    ),
    (
        "sqrt(x^2 + y^2 + 1)",
        ((-3, 3), (-3, 3)),
        lambda x, y: np.sqrt(x**2 + y**2 + 1),
        (lambda x, y: x / np.sqrt(x**2 + y**2 + 1), lambda x, y: y / np.sqrt(x**2 + y**2 + 1)),
        (
            lambda x, y: (y**2 + 1) / (x**2 + y**2 + 1) ** 1.5,
            lambda x, y: -x * y / (x**2 + y**2 + 1) ** 1.5,
            lambda x, y: (x**2 + 1) / (x**2 + y**2 + 1) ** 1.5,
        ),
    ),
    (
        "log(1 + x^2) + abs(y)",
        ((-3, 3), (-3, 3)),
        lambda x, y: np.log(1 + x**2) + np.abs(y),
        (lambda x, y: 2 * x / (1 + x**2), lambda x, y: np.sign(y)),
        (lambda x, y: 2 * (1 - x**2) / (1 + x**2) ** 2, lambda x, y: zeros(x), lambda x, y: zeros(x)),
    ),
    (
        "tanh(x) * cosh(y)",
        ((-2, 2), (-2, 2)),
        lambda x, y: np.tanh(x) * np.cosh(y),
        (lambda x, y: sech2(x) * np.cosh(y), lambda x, y: np.tanh(x) * np.sinh(y)),
        (
            lambda x, y: -2 * np.tanh(x) * sech2(x) * np.cosh(y),
            lambda x, y: sech2(x) * np.sinh(y),
            lambda x, y: np.tanh(x) * np.cosh(y),
        ),
    ),
    (
        "arctan(x*y)",
        ((-2, 2), (-2, 2)),
        lambda x, y: np.arctan(x * y),
        (lambda x, y: y / (1 + (x * y) ** 2), lambda x, y: x / (1 + (x * y) ** 2)),
        (
            lambda x, y: -2 * x * y**3 / (1 + (x * y) ** 2) ** 2,
            lambda x, y: (1 - (x * y) ** 2) / (1 + (x * y) ** 2) ** 2,
            lambda x, y: -2 * y * x**3 / (1 + (x * y) ** 2) ** 2,
        ),
    ),
    (
        "tan(x) + sinh(y) - cos(x*y)",
        ((-1.2, 1.2), (-2, 2)),
        lambda x, y: np.tan(x) + np.sinh(y) - np.cos(x * y),
        (lambda x, y: 1 / np.cos(x) ** 2 + y * np.sin(x * y), lambda x, y: np.cosh(y) + x * np.sin(x * y)),
        (
            lambda x, y: 2 * np.tan(x) / np.cos(x) ** 2 + y**2 * np.cos(x * y),
            lambda x, y: np.sin(x * y) + x * y * np.cos(x * y),
            lambda x, y: np.sinh(y) + x**2 * np.cos(x * y),
        ),
    ),
    (
        "x/y",
        ((-2, 2), (1, 3)),
        lambda x, y: x / y,
        (lambda x, y: 1 / y, lambda x, y: -x / y**2),
        (lambda x, y: zeros(x), lambda x, y: -1 / y**2, lambda x, y: 2 * x / y**3),
    ),
    (
        "2^x * e^(-y)",
        ((-2, 2), (-2, 2)),
        lambda x, y: 2**x * np.exp(-y),
        (lambda x, y: np.log(2) * 2**x * np.exp(-y), lambda x, y: -(2**x) * np.exp(-y)),
        (
            lambda x, y: np.log(2) ** 2 * 2**x * np.exp(-y),
            lambda x, y: -np.log(2) * 2**x * np.exp(-y),
            lambda x, y: 2**x * np.exp(-y),
        ),
    ),
    (
        "x^(1/2) * y^-1",
        ((0.5, 3), (0.5, 3)),
        lambda x, y: np.sqrt(x) / y,
        (lambda x, y: 0.5 / (np.sqrt(x) * y), lambda x, y: -np.sqrt(x) / y**2),
        (
            lambda x, y: -0.25 * x**-1.5 / y,
            lambda x, y: -0.5 / (np.sqrt(x) * y**2),
            lambda x, y: 2 * np.sqrt(x) / y**3,
        ),
    ),
    (
        "log10(x) + log2(y) + ln(x*y)",
        ((0.5, 3), (0.5, 3)),
        lambda x, y: np.log10(x) + np.log2(y) + np.log(x * y),
        (lambda x, y: 1 / (x * np.log(10)) + 1 / x, lambda x, y: 1 / (y * np.log(2)) + 1 / y),
        (
            lambda x, y: -1 / (x**2 * np.log(10)) - 1 / x**2,
            lambda x, y: zeros(x),
            lambda x, y: -1 / (y**2 * np.log(2)) - 1 / y**2,
        ),
    ),
    (
        "arcsin(x/2) + acos(y/2) + atan(x) + asin(y/3)",
        ((-1.5, 1.5), (-1.5, 1.5)),
        lambda x, y: np.arcsin(x / 2) + np.arccos(y / 2) + np.arctan(x) + np.arcsin(y / 3),
        (
            lambda x, y: 1 / np.sqrt(4 - x**2) + 1 / (1 + x**2),
            lambda x, y: -1 / np.sqrt(4 - y**2) + 1 / np.sqrt(9 - y**2),
        ),
        (
            lambda x, y: x / (4 - x**2) ** 1.5 - 2 * x / (1 + x**2) ** 2,
            lambda x, y: zeros(x),
            lambda x, y: -y / (4 - y**2) ** 1.5 + y / (9 - y**2) ** 1.5,
        ),
    ),
    (
        "cbrt(x) + arcsinh(y)",
        ((0.5, 3), (-3, 3)),
        lambda x, y: np.cbrt(x) + np.arcsinh(y),
        (lambda x, y: x ** (-2 / 3) / 3, lambda x, y: 1 / np.sqrt(1 + y**2)),
        (lambda x, y: -2 / 9 * x ** (-5 / 3), lambda x, y: zeros(x), lambda x, y: -y / (1 + y**2) ** 1.5),
    ),
    (
        "pi*x − e·y",  # typographic minus and dot
        ((-3, 3), (-3, 3)),
        lambda x, y: np.pi * x - np.e * y,
        (lambda x, y: np.pi + zeros(x), lambda x, y: -np.e + zeros(x)),
        (lambda x, y: zeros(x), lambda x, y: zeros(x), lambda x, y: zeros(x)),
    ),
    (
        "sign(x) * y - -x",
        ((-3, 3), (-3, 3)),
        lambda x, y: np.sign(x) * y + x,
        (lambda x, y: 1 + zeros(x), lambda x, y: np.sign(x)),
        (lambda x, y: zeros(x), lambda x, y: zeros(x), lambda x, y: zeros(x)),
    ),
    (
        "cos(x)^2 + sin(y)^2",
        ((-3, 3), (-3, 3)),
        lambda x, y: np.cos(x) ** 2 + np.sin(y) ** 2,
        (lambda x, y: -2 * np.cos(x) * np.sin(x), lambda x, y: 2 * np.sin(y) * np.cos(y)),
        (lambda x, y: -2 * np.cos(2 * x), lambda x, y: zeros(x), lambda x, y: 2 * np.cos(2 * y)),
    ),
    (
        "1/(x^2 + y^2 + 1)",
        ((-3, 3), (-3, 3)),
        lambda x, y: 1 / (x**2 + y**2 + 1),
        (lambda x, y: -2 * x / (x**2 + y**2 + 1) ** 2, lambda x, y: -2 * y / (x**2 + y**2 + 1) ** 2),
        (
            lambda x, y: -2 / (x**2 + y**2 + 1) ** 2 + 8 * x**2 / (x**2 + y**2 + 1) ** 3,
            lambda x, y: 8 * x * y / (x**2 + y**2 + 1) ** 3,
            lambda x, y: -2 / (x**2 + y**2 + 1) ** 2 + 8 * y**2 / (x**2 + y**2 + 1) ** 3,
        ),
    ),
    (
        "exp(-(x^2 + y^2)/2) * x",
        ((-3, 3), (-3, 3)),
        lambda x, y: np.exp(-(x**2 + y**2) / 2) * x,
        (lambda x, y: np.exp(-(x**2 + y**2) / 2) * (1 - x**2), lambda x, y: -x * y * np.exp(-(x**2 + y**2) / 2)),
        (
            lambda x, y: np.exp(-(x**2 + y**2) / 2) * (x**3 - 3 * x),
            lambda x, y: -y * (1 - x**2) * np.exp(-(x**2 + y**2) / 2),
            lambda x, y: x * (y**2 - 1) * np.exp(-(x**2 + y**2) / 2),
        ),
    ),
    (
        "x^3*y^-2 - 0.5e1*x*y + 1_000",
        ((-2, 2), (0.5, 2)),
        lambda x, y: x**3 / y**2 - 5 * x * y + 1000,
        (lambda x, y: 3 * x**2 / y**2 - 5 * y, lambda x, y: -2 * x**3 / y**3 - 5 * x),
        (lambda x, y: 6 * x / y**2, lambda x, y: -6 * x**2 / y**3 - 5, lambda x, y: 6 * x**3 / y**4),
    ),
    (
        "7",
        ((-3, 3), (-3, 3)),
        lambda x, y: 7 + zeros(x),
        (lambda x, y: zeros(x), lambda x, y: zeros(x)),
        (lambda x, y: zeros(x), lambda x, y: zeros(x), lambda x, y: zeros(x)),
    ),
]


def random_points(bounds: tuple[tuple[float, float], tuple[float, float]], shape: tuple[int, ...]) -> np.ndarray:
    (x0, x1), (y0, y1) = bounds
    rng = np.random.default_rng(12345)
    return np.stack([rng.uniform(x0, x1, shape), rng.uniform(y0, y1, shape)], axis=-1)


@pytest.mark.parametrize(("text", "bounds", "f", "grad", "hess"), CORRECT, ids=[c[0] for c in CORRECT])
def test_value_gradient_hessian_match_hand_written_numpy(
    text: str,
    bounds: tuple[tuple[float, float], tuple[float, float]],
    f: Fn,
    grad: tuple[Fn, Fn],
    hess: tuple[Fn, Fn, Fn],
) -> None:
    surface = from_formula(text, bounds)
    points = random_points(bounds, (7, 9))
    x, y = points[..., 0], points[..., 1]
    value, g, h = surface.value(points), surface.gradient(points), surface.hessian(points)
    assert value.shape == (7, 9) and g.shape == (7, 9, 2) and h.shape == (7, 9, 2, 2)
    np.testing.assert_allclose(value, f(x, y), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(g[..., 0], grad[0](x, y), rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(g[..., 1], grad[1](x, y), rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(h[..., 0, 0], hess[0](x, y), rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(h[..., 0, 1], hess[1](x, y), rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(h[..., 1, 0], hess[1](x, y), rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(h[..., 1, 1], hess[2](x, y), rtol=1e-10, atol=1e-10)
    # one point at a time, and a single (2,) point, agree with the batch
    assert surface.value(points[0, 0]).shape == ()
    np.testing.assert_allclose(surface.gradient(points[0, 0]), g[0, 0], rtol=1e-14)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("x^2 + y^2", "x**2 + y**2"),
        ("x^2+y^2", "  x ^ 2 + y ^ 2  "),
        ("x^2 − y", "x^2 - y"),
        ("2×x ÷ y", "2*x/y"),
        ("ln(x) + atan(y)", "log(x) + arctan(y)"),
        ("asin(x/4) + acos(y/4) + asinh(x)", "arcsin(x/4) + arccos(y/4) + arcsinh(x)"),
        ("x^2\t+\ty", "x^2 + y"),
        # as printed on a slide: superscript exponents, and the surface's own name on the left
        ("x² + y²", "x^2 + y^2"),
        ("x⁻¹ + y³", "x^(-1) + y^3"),
        ("x¹⁰·y", "x^10*y"),
        ("f(x, y) = (1 - x)^2", "(1 - x)^2"),
        ("z = x^2 + y", "x^2 + y"),
        ("loss=x^2", "x^2"),
    ],
)
def test_spellings_give_the_same_surface(a: str, b: str) -> None:
    sa, sb = from_formula(a), from_formula(b)
    assert sa == sb and hash(sa) == hash(sb) and sa.formula == sb.formula
    points = random_points(((1, 2), (1, 2)), (5,))
    np.testing.assert_array_equal(sa.value(points), sb.value(points))


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("2x + y", "multiplication needs *: write 2*x"),
        ("3*x^2 + 2xy", "write 2*x*y"),
        ("2.5y^2", "write 2.5*y"),
        ("3 sin(x)", "write 3*sin(...)"),
        ("2(x + 1)", "write 2*(...)"),
        ("x(y + 1)", "write x*(...)"),
        ("xy + 1", "write x*y"),
        ("x y", "an operator is missing after 'x'"),
        ("(x + 1)(x - 1)", "multiplication needs *: write (...)*(...)"),
        ("x²y", "an operator is missing after ')'"),
        ("sin x", "a function needs brackets: write sin(...)"),
        ("|x| + |y|", "write abs(...) for |...|"),
        ("x^2 + y^2;", "remove the ';'"),
        ("y = x^2", "without '='"),
        ("x^2 + y^2 = 1", "without '='"),
        ("X^2 + Y^2", "names are lower case: write x"),
        ("√x", "write sqrt(...) for √"),
        ("π*x", "write pi for π"),
    ],
)
def test_a_common_slip_gets_a_hint(text: str, hint: str) -> None:
    with pytest.raises(ValueError, match="column") as err:
        from_formula(text)
    assert hint in str(err.value), str(err.value)


def test_power_binds_tighter_than_unary_minus_and_is_right_associative() -> None:
    assert from_formula("-x^2").value([3.0, 0.0]) == -9.0
    assert from_formula("2^-1*x").value([1.0, 0.0]) == 0.5
    assert from_formula("x^2^3").value([2.0, 0.0]) == 256.0  # x^(2^3), as in Python and in maths
    assert from_formula("(x^2)^3").value([2.0, 0.0]) == 64.0


def test_out_of_domain_gives_nan_or_inf_without_warnings() -> None:
    surface = from_formula("log(x) + sqrt(y) + 1/x + x^(1/2) + arcsin(y)")
    points = np.array([[-1.0, -1.0], [0.0, 0.0], [1.0, 2.0], [1.0, 0.5]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        v, g, h = surface.value(points), surface.gradient(points), surface.hessian(points)
    assert np.isnan(v[0]) and not np.isfinite(v[1]) and np.isnan(v[2]) and np.isfinite(v[3])
    assert np.isfinite(g[3]).all() and np.isfinite(h[3]).all()
    big = from_formula("exp(x)^10 * cosh(y)^10", ((-1e6, 1e6), (-1e6, 1e6)))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert np.isinf(big.value([1e5, 1e5]))
        assert not np.isfinite(big.hessian([1e5, 1e5])).all()


def test_abs_differentiates_to_sign() -> None:
    surface = from_formula("abs(x - 1) + abs(y)")
    g = surface.gradient([[2.0, -3.0], [0.0, 5.0], [1.0, 0.0]])
    np.testing.assert_array_equal(g, [[1.0, -1.0], [-1.0, 1.0], [0.0, 0.0]])
    np.testing.assert_array_equal(surface.hessian([2.0, -3.0]), np.zeros((2, 2)))


# --- the landscape object ------------------------------------------------------------------------------
def test_it_is_a_landscape_but_not_a_registry_entry() -> None:
    surface = from_formula("x^2 + 3*sin(y)")
    assert isinstance(surface, Landscape) and isinstance(surface, FormulaLandscape)
    assert FormulaLandscape.key == "" and surface.key == ""
    assert FormulaLandscape not in REGISTRY.values()
    assert surface.params == () and surface.p == {}


def test_descriptive_attributes() -> None:
    surface = from_formula("(1 - x)^2 + 100*(y - x^2)^2", bounds=((-2, 2), (-1, 3)))
    assert surface.formula == "(1 - x)^2 + 100*(y - x^2)^2"
    assert surface.title == "Custom: (1 - x)^2 + 100*(y - x^2)^2"
    assert surface.teaches and surface.teaches.endswith(".")
    assert surface.bounds == ((-2.0, 2.0), (-1.0, 3.0))
    # found numerically in the window (tests/test_lowest.py): Rosenbrock's (1, 1), loss 0
    np.testing.assert_allclose(surface.minima, [[1.0, 1.0]], atol=1e-9)
    assert surface.min_value == pytest.approx(0.0, abs=1e-12)
    assert "(1, 2)" not in repr(surface) and "FormulaLandscape(" in repr(surface)


@pytest.mark.parametrize(
    ("text", "fragments"),
    [
        ("x^2 + 3*sin(y)", [r"{x}^{2}", r"3 \sin\left(y\right)"]),
        ("sqrt(x)/abs(y)", [r"\frac{\sqrt{x}}{\left|y\right|}"]),
        ("pi*x - e^y", [r"\pi \cdot x", r"{e}^{y}"]),
        ("tanh(x)*arctan(y)", [r"\tanh\left(x\right) \cdot \arctan\left(y\right)"]),
        ("-(x - y)", [r"-\left(x - y\right)"]),
        ("x - (y - 1)", [r"x - \left(y - 1\right)"]),
        ("log(x) + log10(y) + cbrt(x)", [r"\ln\left(x\right)", r"\log_{10}\left(y\right)", r"\sqrt[3]{x}"]),
    ],
)
def test_latex(text: str, fragments: list[str]) -> None:
    latex = from_formula(text).latex
    for fragment in fragments:
        assert fragment in latex, latex
    assert latex.count("{") == latex.count("}")


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("x**2+3*sin(y)", "x^2 + 3*sin(y)"),
        ("-(2*x)", "-(2*x)"),
        ("(-2)*x", "-2*x"),
        ("x^-2", "x^(-2)"),
        ("e**(-y**2)", "e^(-y^2)"),
        ("x - (y - 1)", "x - (y - 1)"),
        ("(x - y) - 1", "x - y - 1"),
        ("x/(y/2)", "x/(y/2)"),
        ("ln(atan(x))", "log(arctan(x))"),
        ("1e-5*x + 0.1*y + 1_000", "1e-05*x + 0.1*y + 1000"),
    ],
)
def test_canonical_formula_text_round_trips(text: str, canonical: str) -> None:
    surface = from_formula(text)
    assert surface.formula == canonical
    again = from_formula(surface.formula)
    assert again.formula == canonical and again.tree == surface.tree


def test_start_is_a_good_finite_point_inside_the_bounds() -> None:
    rosen = from_formula("(1 - x)^2 + 100*(y - x^2)^2", ((-2, 2), (-1, 3)))
    np.testing.assert_allclose(rosen.start, [1.6, 2.6])  # 80% towards the upper-right corner
    # where the upper-right corner is out of the domain, another corner is used
    left = from_formula("log(-x) + y^2")
    np.testing.assert_allclose(left.start, [-2.4, 2.4])
    # nowhere differentiable corners: fall back to the highest finite point of a grid
    for text in ("sqrt(1 - x^2 - y^2)", "7", "abs(x)", "log(1 - x^2 - y^2)"):
        surface = from_formula(text)
        start = surface.start
        (x0, x1), (y0, y1) = surface.bounds
        assert start.shape == (2,) and x0 <= start[0] <= x1 and y0 <= start[1] <= y1
        assert np.isfinite(surface.value(start)), text
    assert np.isfinite(from_formula("sqrt(1 - x^2 - y^2)").gradient(from_formula("sqrt(1 - x^2 - y^2)").start)).all()


def test_instances_are_immutable_hashable_and_picklable() -> None:
    surface = from_formula("x^2 + y^2", ((-1, 1), (-2, 2)))
    with pytest.raises(AttributeError):
        surface.formula = "x"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        surface.anything = 1  # type: ignore[attr-defined]
    same = from_formula("x**2+y**2", ((-1.0, 1.0), (-2.0, 2.0)))
    other = from_formula("x**2+y**2", ((-1.0, 1.0), (-2.0, 3.0)))
    assert surface == same and hash(surface) == hash(same) and surface != other
    assert len({surface, same, other}) == 2
    clone = pickle.loads(pickle.dumps(surface))
    assert clone == surface
    np.testing.assert_array_equal(clone.hessian([0.3, 0.4]), surface.hessian([0.3, 0.4]))


@pytest.mark.parametrize(
    "bounds",
    [
        ((3, -3), (-3, 3)),
        ((-3, 3), (1, 1)),
        ((-3, math.inf), (-3, 3)),
        ((-3, 3), (math.nan, 3)),
        ((-2e6, 3), (-3, 3)),
        ((-3, 3),),
        "abc",
        None,
        ((-3, 3), (-3, "a")),
    ],
)
def test_invalid_bounds_raise(bounds: object) -> None:
    assert "bounds" in rejects("x^2 + y^2", bounds)


@pytest.mark.parametrize(
    ("bounds", "ok"),
    [
        (((0, 0.01), (-3, 3)), True),
        (((0, 0.0099), (-3, 3)), False),  # narrower than 0.01
        (((-3, 3), (1e-12, 2e-12)), False),
        (((1000, 1000.2), (-3, 3)), True),
        (((1000, 1000.05), (-3, 3)), False),  # narrower than 1e-4 of 1000
        (((-1e6, 1e6), (999_800, 1e6)), True),
    ],
)
def test_a_window_too_narrow_for_its_labels_is_refused(bounds: object, ok: bool) -> None:
    if ok:
        assert from_formula("x^2 + y^2", bounds).bounds == bounds
    else:
        assert "narrower than" in rejects("x^2 + y^2", bounds)


def test_finite_somewhere_is_judged_within_the_bounds() -> None:
    assert from_formula("log(x)", ((0.5, 2), (0, 1))).value([1.0, 0.5]) == 0.0
    assert "not finite anywhere" in rejects("log(x)", ((-2, -1), (0, 1)))


def test_all_listed_functions_are_usable() -> None:
    for name in FUNCTIONS:
        surface = from_formula(f"{name}(x/4 + 0.5) + y", ((0.1, 1), (0, 1)))
        g = surface.gradient([0.5, 0.5])
        fd = (surface.value([0.5 + 1e-6, 0.5]) - surface.value([0.5 - 1e-6, 0.5])) / 2e-6
        assert g[1] == 1.0
        np.testing.assert_allclose(g[0], fd, rtol=1e-5, atol=1e-8, err_msg=name)


# --- properties ------------------------------------------------------------------------------------------
FORMULA_ALPHABET = "xy0123456789.+-*/^() ,episncotaqrlgbhd_[]{}'\"=<>!%&|~@:;#\\\x00éπ−"
TOKENS = [
    "x", "y", "1", "2", "0.5", "1e3", "9", "pi", "e", "+", "-", "*", "/", "^", "**", "(", ")", ",",
    "sin(", "cos(", "log(", "sqrt(", "abs(", "exp(", "tanh(", "arctan(", "__import__(", ".__class__",
    "[", "]", "lambda", ":", "for", " in ", "'s'", "1j", "=", "==", "and", "not", "if", "else", "9**9**9",
    "f'{", "}'", "@", "%", "\\", "\x00", "*x", "**x", "sin(x=1)", "(", "(((", ")))",
]  # fmt: skip


def never_anything_but_value_error(text: str) -> None:
    start = time.perf_counter()
    try:
        surface = from_formula(text)
    except ValueError:
        pass
    else:
        assert isinstance(surface, FormulaLandscape)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            surface.value(surface.start)
            surface.gradient(surface.start)
            surface.hessian(surface.start)
    elapsed = time.perf_counter() - start
    assert elapsed < FAST, f"{elapsed:.3f}s for {text!r:.80}"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=FORMULA_ALPHABET, max_size=120))
def test_random_formula_like_text_only_raises_value_error(text: str) -> None:
    never_anything_but_value_error(text)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(TOKENS), max_size=80).map("".join))
def test_random_token_soup_only_raises_value_error(text: str) -> None:
    never_anything_but_value_error(text)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=600))
def test_arbitrary_unicode_only_raises_value_error(text: str) -> None:
    never_anything_but_value_error(text)


# Random well-formed formulas, each paired with a NumPy function written independently of the parser.
Pair = tuple[str, Callable[[np.ndarray, np.ndarray], np.ndarray]]
UNARY: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "sin": np.sin,
    "cos": np.cos,
    "tanh": np.tanh,
    "arctan": np.arctan,
    "exp": lambda t: np.exp(np.sin(t)),  # written as exp(sin(.)) below, to keep values moderate
}


def _leaf() -> st.SearchStrategy[Pair]:
    numbers = st.sampled_from([0.5, 1, 2, 3, 1.5])
    return st.one_of(
        st.just(("x", lambda x, y: x)),
        st.just(("y", lambda x, y: y)),
        numbers.map(lambda c: (repr(c), lambda x, y, c=c: c + 0 * x)),
    )


def _extend(children: st.SearchStrategy[Pair]) -> st.SearchStrategy[Pair]:
    def unary(name: str, child: Pair) -> Pair:
        text, fn = child
        if name == "exp":
            return f"exp(sin({text}))", lambda x, y: np.exp(np.sin(fn(x, y)))
        return f"{name}({text})", lambda x, y: UNARY[name](fn(x, y))

    def binary(op: str, a: Pair, b: Pair) -> Pair:
        (ta, fa), (tb, fb) = a, b
        ops = {"+": np.add, "-": np.subtract, "*": np.multiply}
        return f"({ta}) {op} ({tb})", lambda x, y: ops[op](fa(x, y), fb(x, y))

    def power(a: Pair, k: int) -> Pair:
        ta, fa = a
        return f"({ta})^{k}", lambda x, y: fa(x, y) ** k

    return st.one_of(
        st.builds(unary, st.sampled_from(sorted(UNARY)), children),
        st.builds(binary, st.sampled_from("+-*"), children, children),
        st.builds(power, children, st.sampled_from([2, 3])),
    )


FORMULAS = st.recursive(_leaf(), _extend, max_leaves=8)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(FORMULAS, st.floats(-1, 1), st.floats(-1, 1))
def test_random_formulas_match_numpy_and_finite_differences(pair: Pair, px: float, py: float) -> None:
    text, fn = pair
    start = time.perf_counter()
    surface = from_formula(text, ((-1, 1), (-1, 1)))
    assert time.perf_counter() - start < FAST
    p = np.array([px, py])
    x, y = np.array(px), np.array(py)
    np.testing.assert_allclose(surface.value(p), fn(x, y), rtol=1e-12, atol=1e-12)
    h = 1e-5
    fd = np.array(
        [
            (fn(x + h, y) - fn(x - h, y)) / (2 * h),
            (fn(x, y + h) - fn(x, y - h)) / (2 * h),
        ]
    )
    g = surface.gradient(p)
    scale = 1 + np.abs(fn(x, y)) + np.abs(fd).max()
    np.testing.assert_allclose(g, fd, atol=1e-5 * scale)
    # Hessian: symmetric, and the derivative of the (just checked) gradient
    hess = surface.hessian(p)
    assert hess[0, 1] == hess[1, 0]
    ex, ey = np.array([h, 0.0]), np.array([0.0, h])
    fd2 = np.stack(
        [
            (surface.gradient(p + ex) - surface.gradient(p - ex)) / (2 * h),
            (surface.gradient(p + ey) - surface.gradient(p - ey)) / (2 * h),
        ]
    )
    scale2 = 1 + np.abs(g).max() + np.abs(fd2).max()
    np.testing.assert_allclose(hess, fd2, atol=1e-5 * scale2)
    # the canonical text parses back to the same surface
    assert from_formula(surface.formula, ((-1, 1), (-1, 1))) == surface


@pytest.mark.parametrize(
    ("text", "undefined_somewhere"),
    [
        ("(1 - x)^2 + 100*(y - x^2)^2", False),
        ("sin(x)*exp(y) + 2^x + x/2 + sqrt(4)*x + abs(y)", False),
        ("log(y + 3)", True),  # y ≤ -3
        ("x/(y + 1)", True),  # y = -1
        ("x^(-1)", True),  # x = 0
        ("x^0.5", True),  # x < 0
        ("tan(x)", False),  # no float is exactly π/2: tan is finite at every one
        ("arcsin(x)", True),  # |x| > 1
    ],
)
def test_has_domain_says_whether_the_value_can_be_undefined_at_a_finite_point(
    text: str, undefined_somewhere: bool
) -> None:
    surface = from_formula(text)
    assert surface.has_domain is undefined_somewhere
    if undefined_somewhere:  # and it is, somewhere on a fine grid
        xs = np.linspace(-10, 10, 2001)
        assert not np.isfinite(surface.value(np.stack(np.meshgrid(xs, xs), axis=-1))).all()


def _surface_pixels(
    formula: str, bounds: tuple[tuple[float, float], tuple[float, float]], n: int = 64
) -> tuple[SurfaceImage, np.ndarray, np.ndarray, np.ndarray]:
    """The formula's surface image as the panels get it (grid, display scale, banded PNG): the
    `SurfaceImage`, its RGB pixels with row 0 at the lowest y, and the grid's x and y."""
    land = from_formula(formula, bounds)
    xs, ys, Z = grid(land, n)
    Zt, label = display_transform(Z)
    image = render(Zt, land.bounds, label)
    png = Image.open(io.BytesIO(base64.b64decode(image.uri.split(",", 1)[1]))).convert("RGB")
    return image, np.asarray(png, dtype=int)[::-1], xs, ys


def test_an_undefined_region_is_hatched_unlike_any_band() -> None:
    # log(x) has no value for x < 0. That half was painted the highest band's near-white, which reads as
    # "high loss"; it must show a pattern (stripes: its columns are not one colour, while log(x)'s defined
    # columns are, since it depends on x alone), in colours no defined cell has, and tell the page so.
    image, rgb, xs, _ = _surface_pixels("log(x)", ((-2, 2), (-1, 3)))
    undefined, defined = rgb[:, xs < 0], rgb[:, xs > 0]
    grey = undefined @ np.array([0.299, 0.587, 0.114])  # what a greyscale print shows
    assert all(np.ptp(grey[:, j]) > 50 for j in range(grey.shape[1])), "stripes, in greyscale too"
    assert all(len({tuple(p) for p in defined[:, j]}) == 1 for j in range(defined.shape[1]))
    assert not {tuple(p) for p in undefined.reshape(-1, 3)} & {tuple(p) for p in defined.reshape(-1, 3)}
    assert image.undefined and not _surface_pixels("x^2 + y^2", ((-2, 2), (-2, 2)))[0].undefined


def test_a_surface_spanning_many_decades_is_shaded_over_all_of_them() -> None:
    # exp(exp(x + y)) in ±2 runs from e^(e^-4) = 1.0185 to e^(e^4) = 5.1e23. Where x + y < 0 it stays below
    # e^(e^0) = e, within 1.7 of its minimum; a log scale offset by 1e-6 of the range (5.1e17) painted that
    # whole half, and more, one colour. Those gaps span from about 0.0012 (the cells next to the corner: the
    # slope there is e^-4·1.0185 ≈ 0.019 per unit of x, the cells 4/63 apart) to 1.7: three decades.
    image, rgb, xs, ys = _surface_pixels("exp(exp(x + y))", ((-2, 2), (-2, 2)))
    assert image.label == "log₁₀(loss − min)"
    lower = (xs[None, :] + ys[:, None]) < 0
    colours = {tuple(p) for p in rgb[lower]}
    assert len(colours) >= 5, "the lower half is shaded in several bands, not one"
    _, _, Z = grid(from_formula("exp(exp(x + y))", ((-2, 2), (-2, 2))), 64)
    shown = display_scale(Z)(Z)
    assert np.ptp(shown[lower]) > 1.5, "more than a decade and a half of the log scale below x + y = 0"


@pytest.mark.parametrize("name", ["rosenbrock", "beale", "goldstein-price"])
def test_the_built_in_log_scaled_surfaces_keep_six_decades(name: str) -> None:
    # their shading was good: the log offset stays 1e-6 of the value range on the page's grid
    _, _, Z = grid(get(name), 240)
    scale = display_scale(Z)
    assert scale.log and scale.delta == pytest.approx(1e-6 * np.ptp(Z), rel=1e-12)
