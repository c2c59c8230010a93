"""Your own surface: a landscape from a formula in ``x`` and ``y`` that a person types.

``from_formula("(1 - x)^2 + 100*(y - x^2)^2")`` returns a `Landscape` with an exact gradient and
Hessian, obtained by differentiating the parsed expression tree symbolically.

Security. The text is never handed to ``eval``, ``exec``, ``compile``, sympy or numexpr. It goes
through this pipeline, and every rejection is a ``ValueError`` that says what is wrong and where
(a 1-based column in the text as typed):

1. type, length (at most `MAX_LENGTH` characters) and characters (printable ASCII; the typographic
   ``−``, ``×``, ``·``, ``÷`` are read as ``-``, ``*``, ``*``, ``/``, superscript exponents as powers:
   ``x²`` is ``x^2``, ``x⁻¹`` is ``x^(-1)``); a left-hand side naming the surface (``f(x, y) =``,
   ``z =``) is dropped. A common slip (``2x``, ``sin x``, ``|x|``, ``√x``, ``X``, ``y = …``) gets a hint
   of what to write instead;
2. brackets balanced and nested at most `MAX_PAREN_DEPTH` deep, checked before Python's parser sees
   the text (so ``((((…))))`` cannot exhaust its stack);
3. ``^`` becomes ``**`` and ``ast.parse(text, mode="eval")`` builds a syntax tree (it only parses);
4. an allowlist walk turns that tree into this module's own immutable expression tree: numbers
   (int or float, at most `MAX_CONSTANT` in size), ``x``, ``y``, ``pi``, ``e``, ``+ - * / **``,
   unary ``-`` and ``+``, and calls of the functions in `FUNCTIONS` with exactly one positional
   argument. At most `MAX_NODES` syntax nodes, nested at most `MAX_DEPTH` deep. Anything else
   (attributes, subscripts, keywords, lambdas, comprehensions, strings, comparisons, …) is refused;
5. powers: the exponent must be a constant (such as ``2``, ``-1`` or ``1/2``) between
   ``-MAX_EXPONENT`` and ``MAX_EXPONENT``, or else the base must be a positive constant (``2^x``,
   ``e^(-x^2)``). So there are no power towers and no huge numbers;
6. the value, gradient and Hessian trees are compiled to straight-line programs (shared
   subexpressions computed once); a formula whose derivatives would need more than
   `MAX_INSTRUCTIONS` steps is refused.

Evaluation runs under ``np.errstate(all="ignore")``: outside a function's domain the result is
``nan`` or ``inf``, never a warning or an exception. A negative number raised to a non-integer
constant power is ``nan`` (use ``cbrt`` for cube roots).
"""

from __future__ import annotations

import ast
import functools
import math
import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from .base import Array, Bounds, Landscape
from .lowest import Lowest, find_lowest

__all__ = [
    "FUNCTIONS",
    "MAX_CONSTANT",
    "MAX_DEPTH",
    "MAX_EXPONENT",
    "MAX_INSTRUCTIONS",
    "MAX_LENGTH",
    "MAX_NODES",
    "MAX_PAREN_DEPTH",
    "FormulaLandscape",
    "from_formula",
    "parse_formula",
]

MAX_LENGTH = 500
"""Most characters a formula may have."""
MAX_PAREN_DEPTH = 30
"""Deepest nesting of brackets."""
MAX_NODES = 200
"""Most syntax nodes (numbers, names, operators, calls) in a formula."""
MAX_DEPTH = 40
"""Deepest nesting of syntax nodes (``1+1+…+1`` with 40 terms is 40 deep)."""
MAX_CONSTANT = 1e6
"""Largest magnitude of a number written in a formula."""
MAX_EXPONENT = 10.0
"""Largest magnitude of a constant exponent."""
MAX_INSTRUCTIONS = 4000
"""Most steps in the compiled program of the value, the gradient or the Hessian."""
MAX_BOUND = 1e6
"""Largest magnitude of a plotting bound."""
MIN_WIDTH = 0.01
"""Narrowest window side: narrower, the picture's coordinates need more digits than its labels hold."""
MIN_RELATIVE_WIDTH = 1e-4
"""Narrowest window side as a fraction of its larger bound's magnitude (1000 … 1000.05 is too narrow)."""

DEFAULT_BOUNDS: Bounds = ((-3.0, 3.0), (-3.0, 3.0))


# --- the expression tree ------------------------------------------------------------------------
class Node:
    """An immutable node of an expression tree."""

    __slots__ = ()


@dataclass(frozen=True, slots=True)
class Const(Node):
    """A number; ``name`` is ``"pi"`` or ``"e"`` for the named constants (for display only)."""

    value: float
    name: str | None = None


@dataclass(frozen=True, slots=True)
class Var(Node):
    """The variable ``x`` or ``y``."""

    name: str


@dataclass(frozen=True, slots=True)
class Neg(Node):
    """``-operand``."""

    operand: Node


@dataclass(frozen=True, slots=True)
class Add(Node):
    """``left + right``."""

    left: Node
    right: Node


@dataclass(frozen=True, slots=True)
class Sub(Node):
    """``left - right``."""

    left: Node
    right: Node


@dataclass(frozen=True, slots=True)
class Mul(Node):
    """``left * right``."""

    left: Node
    right: Node


@dataclass(frozen=True, slots=True)
class Div(Node):
    """``left / right``."""

    left: Node
    right: Node


@dataclass(frozen=True, slots=True)
class Pow(Node):
    """``base ** exponent``; the exponent or else the base is free of ``x`` and ``y``."""

    base: Node
    exponent: Node


@dataclass(frozen=True, slots=True)
class Func(Node):
    """``name(arg)`` for a name in `FUNCTIONS` (canonical spelling)."""

    name: str
    arg: Node


# --- functions: NumPy ufunc, derivative, rendering -------------------------------------------------
@dataclass(frozen=True)
class _FuncSpec:
    ufunc: Callable[[Any], Any]
    # derivative(node, u): d name(u) / du, built from the node itself and its argument u
    derivative: Callable[[Node, Node], Node]
    latex: str  # a format string with one {} for the argument


def _d_sqrt(n: Node, u: Node) -> Node:
    return _div(Const(0.5), n)


def _d_cbrt(n: Node, u: Node) -> Node:
    return _div(Const(1.0 / 3.0), _pow(n, 2.0))


FUNCTIONS: dict[str, _FuncSpec] = {
    "sin": _FuncSpec(np.sin, lambda n, u: _func("cos", u), r"\sin\left({}\right)"),
    "cos": _FuncSpec(np.cos, lambda n, u: _neg(_func("sin", u)), r"\cos\left({}\right)"),
    "tan": _FuncSpec(np.tan, lambda n, u: _add(Const(1.0), _pow(n, 2.0)), r"\tan\left({}\right)"),
    "exp": _FuncSpec(np.exp, lambda n, u: n, r"\exp\left({}\right)"),
    "log": _FuncSpec(np.log, lambda n, u: _div(Const(1.0), u), r"\ln\left({}\right)"),
    "log10": _FuncSpec(np.log10, lambda n, u: _div(Const(1.0 / math.log(10.0)), u), r"\log_{{10}}\left({}\right)"),
    "log2": _FuncSpec(np.log2, lambda n, u: _div(Const(1.0 / math.log(2.0)), u), r"\log_{{2}}\left({}\right)"),
    "sqrt": _FuncSpec(np.sqrt, _d_sqrt, r"\sqrt{{{}}}"),
    "cbrt": _FuncSpec(np.cbrt, _d_cbrt, r"\sqrt[3]{{{}}}"),
    "abs": _FuncSpec(np.abs, lambda n, u: _func("sign", u), r"\left|{}\right|"),
    "sign": _FuncSpec(np.sign, lambda n, u: Const(0.0), r"\operatorname{{sign}}\left({}\right)"),
    "tanh": _FuncSpec(np.tanh, lambda n, u: _sub(Const(1.0), _pow(n, 2.0)), r"\tanh\left({}\right)"),
    "sinh": _FuncSpec(np.sinh, lambda n, u: _func("cosh", u), r"\sinh\left({}\right)"),
    "cosh": _FuncSpec(np.cosh, lambda n, u: _func("sinh", u), r"\cosh\left({}\right)"),
    "arctan": _FuncSpec(
        np.arctan, lambda n, u: _div(Const(1.0), _add(Const(1.0), _pow(u, 2.0))), r"\arctan\left({}\right)"
    ),
    "arcsin": _FuncSpec(
        np.arcsin,
        lambda n, u: _div(Const(1.0), _func("sqrt", _sub(Const(1.0), _pow(u, 2.0)))),
        r"\arcsin\left({}\right)",
    ),
    "arccos": _FuncSpec(
        np.arccos,
        lambda n, u: _div(Const(-1.0), _func("sqrt", _sub(Const(1.0), _pow(u, 2.0)))),
        r"\arccos\left({}\right)",
    ),
    "arcsinh": _FuncSpec(
        np.arcsinh,
        lambda n, u: _div(Const(1.0), _func("sqrt", _add(_pow(u, 2.0), Const(1.0)))),
        r"\operatorname{{arsinh}}\left({}\right)",
    ),
}
"""The functions a formula may call, by canonical name."""

ALIASES: dict[str, str] = {"ln": "log", "atan": "arctan", "asin": "arcsin", "acos": "arccos", "asinh": "arcsinh"}
"""Other spellings accepted for some functions."""

NAMED_CONSTANTS: dict[str, float] = {"pi": math.pi, "e": math.e}
VARIABLES = ("x", "y")


# --- simplifying constructors (used by differentiation) --------------------------------------------
def _c(node: Node) -> float | None:
    """The value of a `Const` node, else ``None``."""
    return node.value if isinstance(node, Const) else None


def _finite_const(v: float) -> Const | None:
    return Const(float(v)) if math.isfinite(v) else None


def _neg(a: Node) -> Node:
    if isinstance(a, Const):
        return Const(-a.value)
    if isinstance(a, Neg):
        return a.operand
    return Neg(a)


def _add(a: Node, b: Node) -> Node:
    ca, cb = _c(a), _c(b)
    if ca == 0.0:
        return b
    if cb == 0.0:
        return a
    if ca is not None and cb is not None and (folded := _finite_const(ca + cb)):
        return folded
    if isinstance(b, Neg):
        return _sub(a, b.operand)
    if isinstance(a, Neg):
        return _sub(b, a.operand)
    return Add(a, b)


def _sub(a: Node, b: Node) -> Node:
    ca, cb = _c(a), _c(b)
    if cb == 0.0:
        return a
    if ca == 0.0:
        return _neg(b)
    if ca is not None and cb is not None and (folded := _finite_const(ca - cb)):
        return folded
    if isinstance(b, Neg):
        return _add(a, b.operand)
    return Sub(a, b)


def _mul(a: Node, b: Node) -> Node:
    if isinstance(b, Const) and not isinstance(a, Const):
        a, b = b, a  # constants first
    ca, cb = _c(a), _c(b)
    if ca == 0.0 or cb == 0.0:
        return Const(0.0)
    if ca == 1.0:
        return b
    if ca == -1.0:
        return _neg(b)
    if ca is not None and cb is not None and (folded := _finite_const(ca * cb)):
        return folded
    if (
        ca is not None
        and isinstance(b, Mul)
        and isinstance(b.left, Const)
        and (folded := _finite_const(ca * b.left.value))
    ):
        return _mul(folded, b.right)
    if isinstance(a, Neg):
        return _neg(_mul(a.operand, b))
    if isinstance(b, Neg):
        return _neg(_mul(a, b.operand))
    return Mul(a, b)


def _div(a: Node, b: Node) -> Node:
    ca, cb = _c(a), _c(b)
    if ca == 0.0:
        return Const(0.0)
    if cb == 1.0:
        return a
    if cb is not None and cb != 0.0 and (inverse := _finite_const(1.0 / cb)):
        return _mul(inverse, a)
    return Div(a, b)


def _pow(base: Node, exponent: float) -> Node:
    if exponent == 0.0:
        return Const(1.0)
    if exponent == 1.0:
        return base
    cb = _c(base)
    if cb is not None:
        with np.errstate(all="ignore"):
            v = float(np.power(cb, exponent))
        if folded := _finite_const(v):
            return folded
    return Pow(base, Const(float(exponent)))


def _func(name: str, arg: Node) -> Node:
    return Func(name, arg)


# --- constants and differentiation ------------------------------------------------------------------
def _const_value(node: Node) -> float | None:
    """The value of a subtree free of ``x`` and ``y`` (``None`` if it depends on them).

    Only used on parsed trees (at most `MAX_NODES` nodes) and on derivative exponents (constants).
    """
    if isinstance(node, Const):
        return node.value
    if isinstance(node, Var):
        return None
    program = _compile([node])
    if any(op == "x" or op == "y" for op, *_ in program.code):
        return None
    return float(program.run(np.float64(0.0), np.float64(0.0))[0])


def _diff(node: Node, var: str, memo: dict[int, Node]) -> Node:
    """The derivative of ``node`` with respect to ``var``, lightly simplified.

    ``memo`` maps ``id`` of already differentiated nodes to their derivative, so a shared subtree
    (the trees here are DAGs) is differentiated once and its derivative is shared too.
    """
    key = id(node)
    if key in memo:
        return memo[key]
    d: Node
    if isinstance(node, Const):
        d = Const(0.0)
    elif isinstance(node, Var):
        d = Const(1.0 if node.name == var else 0.0)
    elif isinstance(node, Neg):
        d = _neg(_diff(node.operand, var, memo))
    elif isinstance(node, Add):
        d = _add(_diff(node.left, var, memo), _diff(node.right, var, memo))
    elif isinstance(node, Sub):
        d = _sub(_diff(node.left, var, memo), _diff(node.right, var, memo))
    elif isinstance(node, Mul):
        a, b = node.left, node.right
        d = _add(_mul(_diff(a, var, memo), b), _mul(a, _diff(b, var, memo)))
    elif isinstance(node, Div):
        a, b = node.left, node.right
        da, db = _diff(a, var, memo), _diff(b, var, memo)
        # (a/b)' = a'/b - a b'/b^2
        d = _sub(_div(da, b), _div(_mul(a, db), _pow(b, 2.0)))
    elif isinstance(node, Pow):
        c = _const_value(node.exponent)
        if c is not None:
            d = _mul(_mul(Const(c), _pow(node.base, c - 1.0)), _diff(node.base, var, memo))
        else:
            b = _const_value(node.base)
            if b is None or not b > 0.0:  # the parser never builds this
                raise ValueError("a power needs a constant exponent or a positive constant base")
            d = _mul(_mul(Const(math.log(b)), node), _diff(node.exponent, var, memo))
    elif isinstance(node, Func):
        du = _diff(node.arg, var, memo)
        d = Const(0.0) if _c(du) == 0.0 else _mul(FUNCTIONS[node.name].derivative(node, node.arg), du)
    else:  # pragma: no cover - the tree only holds the classes above
        raise TypeError(f"not an expression node: {node!r}")
    memo[key] = d
    return d


# --- compilation to a straight-line program ----------------------------------------------------------
@dataclass(frozen=True)
class _Program:
    """Instructions ``(op, *operands)``; operands are earlier instruction indices (or a value/name)."""

    code: tuple[tuple[Any, ...], ...]
    outputs: tuple[int, ...]

    def run(self, x: Array, y: Array) -> list[Array]:
        """Evaluate on arrays ``x`` and ``y``; never warns (out-of-domain gives nan or inf)."""
        regs: list[Any] = []
        with np.errstate(all="ignore"):
            for ins in self.code:
                op = ins[0]
                if op == "c":
                    regs.append(np.float64(ins[1]))
                elif op == "x":
                    regs.append(x)
                elif op == "y":
                    regs.append(y)
                elif op == "neg":
                    regs.append(np.negative(regs[ins[1]]))
                elif op == "add":
                    regs.append(np.add(regs[ins[1]], regs[ins[2]]))
                elif op == "sub":
                    regs.append(np.subtract(regs[ins[1]], regs[ins[2]]))
                elif op == "mul":
                    regs.append(np.multiply(regs[ins[1]], regs[ins[2]]))
                elif op == "div":
                    regs.append(np.divide(regs[ins[1]], regs[ins[2]]))
                elif op == "pow":
                    regs.append(np.power(regs[ins[1]], regs[ins[2]]))
                else:  # "f"
                    regs.append(FUNCTIONS[ins[1]].ufunc(regs[ins[2]]))
        return [regs[i] for i in self.outputs]


def _program_cost(program: _Program) -> float:
    """What a program costs per point, in Rosenbrock gradients (see ``Landscape.step_cost``): about 0.03 an
    arithmetic instruction (a whole-number power included) and 2 a function or any other power (measured:
    ``(1 - x)^2 + 100*(y - x^2)^2``'s gradient, 17 instructions, 0.5; a 51-instruction one with five
    functions, 11)."""
    code = program.code

    def heavy(ins: tuple[Any, ...]) -> bool:
        if ins[0] == "pow":
            exponent = code[ins[2]]
            return not (exponent[0] == "c" and float(exponent[1]).is_integer())
        return ins[0] == "f"

    n_heavy = sum(1 for ins in code if heavy(ins))
    return max(0.1, 0.03 * (len(code) - n_heavy) + 2.0 * n_heavy)


_BINARY_OPS: dict[type, str] = {Add: "add", Sub: "sub", Mul: "mul", Div: "div", Pow: "pow"}


def _children(node: Node) -> tuple[Node, ...]:
    if isinstance(node, Neg):
        return (node.operand,)
    if isinstance(node, Add | Sub | Mul | Div):
        return (node.left, node.right)
    if isinstance(node, Pow):
        return (node.base, node.exponent)
    if isinstance(node, Func):
        return (node.arg,)
    return ()


_RESTRICTED = frozenset({"log", "log10", "log2", "sqrt", "arcsin", "arccos"})  # tan(x) is finite at every float


def _may_be_undefined(node: Node) -> bool:
    """Whether the formula's value may be NaN or ±∞ at a finite point (not counting overflow): a function with
    a restricted domain or poles, a division by a non-constant, or a non-constant raised to a negative or
    non-integer power."""
    if isinstance(node, Func) and node.name in _RESTRICTED and _const_value(node.arg) is None:
        return True
    if isinstance(node, Div) and _const_value(node.right) is None:
        return True
    if isinstance(node, Pow) and _const_value(node.base) is None:
        k = _const_value(node.exponent)
        if k is None or k < 0 or k != int(k):
            return True
    return any(_may_be_undefined(child) for child in _children(node))


def _compile(outputs: list[Node], limit: int = MAX_INSTRUCTIONS, what: str = "formula") -> _Program:
    """Turn expression DAGs into one straight-line program, computing equal subexpressions once.

    Iterative (no recursion), so the depth of derivative trees does not matter.

    Raises:
        ValueError: the program would need more than ``limit`` instructions.
    """
    code: list[tuple[Any, ...]] = []
    by_id: dict[int, int] = {}
    by_key: dict[tuple[Any, ...], int] = {}
    for root in outputs:
        stack: list[tuple[Node, bool]] = [(root, False)]
        while stack:
            node, expanded = stack.pop()
            if id(node) in by_id:
                continue
            kids = _children(node)
            if not expanded and kids:
                stack.append((node, True))
                stack.extend((k, False) for k in reversed(kids) if id(k) not in by_id)
                continue
            args = tuple(by_id[id(k)] for k in kids)
            if isinstance(node, Const):
                key: tuple[Any, ...] = ("c", node.value)
            elif isinstance(node, Var):
                key = (node.name,)
            elif isinstance(node, Neg):
                key = ("neg", *args)
            elif isinstance(node, Func):
                key = ("f", node.name, *args)
            else:
                key = (_BINARY_OPS[type(node)], *args)
            index = by_key.get(key)
            if index is None:
                if len(code) >= limit:
                    raise ValueError(
                        f"the {what} is too complex: it would need more than {limit} steps to evaluate; "
                        "simplify the formula"
                    )
                index = len(code)
                code.append(key)
                by_key[key] = index
            by_id[id(node)] = index
    return _Program(tuple(code), tuple(by_id[id(r)] for r in outputs))


# --- parsing -----------------------------------------------------------------------------------------
_TYPOGRAPHIC = {"\u2212": "-", "\u00d7": "*", "\u00b7": "*", "\u22c5": "*", "\u00f7": "/", "\t": " "}
# Superscript digits and minus: a run of them is an exponent (x² is x^2, e⁻ˣ is not: ˣ is no digit).
_SUPERSCRIPTS = dict(zip("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-", strict=True))
# What to write instead of a character a person may type from a textbook.
_CHARACTER_HINTS = {"√": "write sqrt(...) for √", "∛": "write cbrt(...) for ∛", "π": "write pi for π"}
# A number followed by a name or a bracket: 2x, 3 sin(x), 2(x + 1).
_IMPLICIT_PRODUCT = re.compile(r"(\d+(?:\.\d*)?(?:[eE][-+]?\d+)?)\s*([A-Za-z_]\w*|\()")
# A left-hand side that names the surface: `f(x, y) =`, `f =`, `z =`, `L =`, `loss =` (not `y = …`, a curve).
_LEFT_SIDE = re.compile(r"\s*(?:f|z|L|loss)\s*(?:\(\s*x\s*,\s*y\s*\))?\s*=(?!=)")


def _syntax_hint(source: str, offset: int) -> str:
    """What a person probably meant where Python's parser stopped at ``offset`` of ``source``."""
    before = source[:offset].rstrip()
    here = source[offset:]
    word = re.search(r"[A-Za-z_]\w*$", before)
    if "|" in source:
        return "write abs(...) for |...|"
    if "=" in source:
        return "write only the formula of f(x, y), without '=' (for f(x, y) = x^2 + y^2, write x^2 + y^2)"
    product = _IMPLICIT_PRODUCT.search(source, max(0, offset - 24))
    if product and product.start() <= offset <= product.end():
        number, name = product.group(1), product.group(2)
        if name == "(" or name in FUNCTIONS or name in ALIASES:
            name += "(...)" if name != "(" else "...)"
        elif set(name) <= set(VARIABLES):
            name = "*".join(name)  # 2xy: 2*x*y
        return f"multiplication needs *: write {number}*{name}"
    if here[:1] == ";":
        return "remove the ';'"
    if word and here[:1] and (here[0].isalnum() or here[0] in "_("):
        if word.group() in FUNCTIONS or word.group() in ALIASES:
            return f"a function needs brackets: write {word.group()}(...)"
        return f"an operator is missing after {word.group()!r}: write {word.group()}*..."
    if before.endswith(")") and here[:1] and (here[0].isalnum() or here[0] in "_("):  # (x+1)(x-1), x²y
        return "an operator is missing after ')': write (...)*..."
    return ""


_DESCRIPTIONS: dict[type, str] = {
    ast.Attribute: "attribute access",
    ast.Subscript: "indexing",
    ast.Slice: "slicing",
    ast.Lambda: "a lambda",
    ast.ListComp: "a list comprehension",
    ast.SetComp: "a set comprehension",
    ast.DictComp: "a dict comprehension",
    ast.GeneratorExp: "a generator expression",
    ast.JoinedStr: "an f-string",
    ast.FormattedValue: "an f-string",
    ast.NamedExpr: "the walrus operator :=",
    ast.Compare: "a comparison",
    ast.BoolOp: "a boolean operator (and/or)",
    ast.IfExp: "a conditional expression (if/else)",
    ast.Tuple: "a tuple (a comma outside a function call)",
    ast.List: "a list",
    ast.Dict: "a dict",
    ast.Set: "a set",
    ast.Starred: "a starred expression",
    ast.Await: "await",
    ast.Yield: "yield",
    ast.YieldFrom: "yield",
}

_OPERATORS: dict[type, str] = {
    ast.Mod: "%",
    ast.FloorDiv: "//",
    ast.MatMult: "@",
    ast.LShift: "<<",
    ast.RShift: ">>",
    ast.BitOr: "|",
    ast.BitAnd: "&",
    ast.BitXor: "^",
    ast.Invert: "~",
    ast.Not: "not",
}


def _allowed_summary() -> str:
    return "use x, y, numbers, pi, e, + - * / ^ and the functions " + ", ".join(sorted(FUNCTIONS))


class _Parser:
    """Checks a formula and builds its expression tree; every failure is a ``ValueError``."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.nodes = 0
        self.source = ""
        self.columns: list[int] = []  # index in `source` -> index in `text`

    # -- messages --
    def _column(self, offset: int) -> int:
        """1-based column in the original text of 0-based ``offset`` in the parsed source."""
        if offset < 0:
            offset = 0
        if offset >= len(self.columns):
            return len(self.text) + 1
        return self.columns[offset] + 1

    def _where(self, node: ast.AST) -> str:
        start = getattr(node, "col_offset", None)
        if start is None:
            return ""
        end = getattr(node, "end_col_offset", None) or start + 1
        a, b = self._column(start) - 1, self._column(max(end - 1, start))
        snippet = self.text[a:b]
        if len(snippet) > 40:
            snippet = snippet[:37] + "..."
        return f" at column {a + 1} ({snippet!r})"

    def _fail(self, what: str, node: ast.AST, hint: str = "") -> ValueError:
        return ValueError(f"{what}{self._where(node)}" + (f"; {hint}" if hint else ""))

    # -- stages --
    def parse(self) -> Node:
        text = self.text
        if not isinstance(text, str):
            raise ValueError(f"the formula must be text, got {type(text).__name__}")
        if len(text) > MAX_LENGTH:
            raise ValueError(f"the formula is {len(text)} characters long; at most {MAX_LENGTH} are allowed")
        chars: list[str] = []
        origin: list[int] = []  # index in `chars` -> index in `text`
        for i, ch in enumerate(text):
            ch = _TYPOGRAPHIC.get(ch, ch)
            if ch in "\n\r":
                ch = " "
            if ch in _SUPERSCRIPTS:  # x² as x^2, x⁻¹ as x^(-1): formulas copied from slides
                power = "" if i > 0 and text[i - 1] in _SUPERSCRIPTS else "^("
                closing = "" if i + 1 < len(text) and text[i + 1] in _SUPERSCRIPTS else ")"
                expanded = power + _SUPERSCRIPTS[ch] + closing
                chars += expanded
                origin += [i] * len(expanded)
                continue
            if not (" " <= ch <= "~"):
                hint = _CHARACTER_HINTS.get(ch, "")
                raise ValueError(
                    f"the character {ch!r} (U+{ord(ch):04X}) at column {i + 1} is not allowed in a formula"
                    + (f"; {hint}" if hint else "")
                )
            chars.append(ch)
            origin.append(i)
        # `f(x, y) = …`, `z = …`: the right-hand side is the formula (blanked out, so columns stay put).
        lhs = _LEFT_SIDE.match("".join(chars))
        if lhs:
            chars[: lhs.end()] = " " * lhs.end()
        if not "".join(chars).strip():
            raise ValueError("the formula is empty; " + _allowed_summary())
        self._check_brackets(chars, origin)
        # `^` means power: rewrite it as `**`, remembering where each character came from.
        source: list[str] = []
        for i, ch in enumerate(chars):
            if ch == "^":
                source.append("**")
                self.columns += [origin[i], origin[i]]
            elif ch == " " and not source:
                continue  # leading blanks: Python would call them an indent
            else:
                source.append(ch)
                self.columns.append(origin[i])
        self.source = "".join(source)
        try:
            with warnings.catch_warnings():  # e.g. "invalid decimal literal" for `1if`: not the person's concern
                warnings.simplefilter("ignore", SyntaxWarning)
                warnings.simplefilter("ignore", DeprecationWarning)
                tree = ast.parse(self.source, mode="eval")
        except SyntaxError as exc:
            offset = (exc.offset or 0) - 1 if exc.lineno in (None, 1) else len(self.source)
            column = self._column(offset if 0 <= offset < len(self.source) else len(self.source))
            where = "at the end" if column > len(text) else f"at column {column} ({text[column - 1]!r})"
            hint = _syntax_hint(self.source, offset)
            raise ValueError(f"syntax error {where}: {exc.msg}" + (f"; {hint}" if hint else "")) from None
        except (RecursionError, MemoryError):
            raise ValueError("the formula is nested too deeply to parse") from None
        except ValueError as exc:  # e.g. "source code string cannot contain null bytes"
            raise ValueError(f"the formula cannot be parsed: {exc}") from None
        return self._build(tree, 0)

    def _check_brackets(self, chars: list[str], origin: list[int]) -> None:
        pairs = {")": "(", "]": "[", "}": "{"}
        stack: list[tuple[str, int]] = []
        for k, ch in enumerate(chars):
            i = origin[k]
            if ch in "([{":
                stack.append((ch, i))
                if len(stack) > MAX_PAREN_DEPTH:
                    raise ValueError(
                        f"brackets are nested more than {MAX_PAREN_DEPTH} deep at column {i + 1}; simplify the formula"
                    )
            elif ch in pairs:
                if not stack:
                    raise ValueError(f"unmatched {ch!r} at column {i + 1}")
                opener, j = stack.pop()
                if opener != pairs[ch]:
                    raise ValueError(f"{ch!r} at column {i + 1} does not match {opener!r} at column {j + 1}")
        if stack:
            opener, j = stack[-1]
            raise ValueError(f"{opener!r} at column {j + 1} is never closed")

    def _build(self, node: ast.AST, depth: int) -> Node:
        if depth > MAX_DEPTH:
            raise self._fail(f"the formula is nested more than {MAX_DEPTH} levels deep", node)
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise self._fail(f"the formula has more than {MAX_NODES} parts", node, "simplify it")
        if isinstance(node, ast.Expression):
            return self._build(node.body, depth)
        if isinstance(node, ast.Constant):
            return self._constant(node)
        if isinstance(node, ast.Name):
            return self._name(node)
        if isinstance(node, ast.UnaryOp):
            operand = self._build(node.operand, depth + 1)
            if isinstance(node.op, ast.USub):
                return Neg(operand)
            if isinstance(node.op, ast.UAdd):
                return operand
            raise self._fail(f"the operator {_OPERATORS.get(type(node.op), '?')!r} is not allowed", node)
        if isinstance(node, ast.BinOp):
            return self._binop(node, depth)
        if isinstance(node, ast.Call):
            return self._call(node, depth)
        what = _DESCRIPTIONS.get(type(node), f"the syntax {type(node).__name__}")
        raise self._fail(f"{what} is not allowed in a formula", node)

    def _constant(self, node: ast.Constant) -> Node:
        v = node.value
        if isinstance(v, bool) or v is None or v is Ellipsis:
            raise self._fail(f"{v!r} is not a number", node)
        if isinstance(v, complex):
            raise self._fail("complex numbers are not allowed", node)
        if isinstance(v, str | bytes):
            raise self._fail("text (strings) is not allowed in a formula", node)
        if not isinstance(v, int | float):
            raise self._fail(f"{type(v).__name__} is not allowed", node)
        if isinstance(v, float) and not math.isfinite(v):
            raise self._fail("the number is too large", node)
        if abs(v) > MAX_CONSTANT:
            raise self._fail(f"the number is too large (at most {MAX_CONSTANT:g} in size)", node)
        return Const(float(v))

    def _name(self, node: ast.Name) -> Node:
        name = node.id
        if name in VARIABLES:
            return Var(name)
        if name in NAMED_CONSTANTS:
            return Const(NAMED_CONSTANTS[name], name)
        if name in FUNCTIONS or name in ALIASES:
            raise self._fail(f"{name} is a function", node, f"write {name}(...)")
        if name.lower() in VARIABLES or name.lower() in NAMED_CONSTANTS:
            raise self._fail(f"unknown name {name!r}", node, f"names are lower case: write {name.lower()}")
        if set(name) <= set(VARIABLES):  # xy, xx, yxy: a product written without its *
            raise self._fail(f"unknown name {name!r}", node, f"multiplication needs *: write {'*'.join(name)}")
        raise self._fail(f"unknown name {name!r}", node, _allowed_summary())

    def _binop(self, node: ast.BinOp, depth: int) -> Node:
        op = node.op
        if not isinstance(op, ast.Add | ast.Sub | ast.Mult | ast.Div | ast.Pow):
            raise self._fail(f"the operator {_OPERATORS.get(type(op), '?')!r} is not allowed", node)
        left = self._build(node.left, depth + 1)
        right = self._build(node.right, depth + 1)
        if isinstance(op, ast.Add):
            return Add(left, right)
        if isinstance(op, ast.Sub):
            return Sub(left, right)
        if isinstance(op, ast.Mult):
            return Mul(left, right)
        if isinstance(op, ast.Div):
            return Div(left, right)
        return self._power(node, left, right)

    def _power(self, node: ast.BinOp, base: Node, exponent: Node) -> Node:
        c = _const_value(exponent)
        if c is not None:
            if not math.isfinite(c) or abs(c) > MAX_EXPONENT:
                raise self._fail(
                    f"the exponent {c:g} is too large",
                    node.right,
                    f"an exponent must be a constant between {-MAX_EXPONENT:g} and {MAX_EXPONENT:g}",
                )
        else:
            b = _const_value(base)
            if b is None:
                raise self._fail(
                    "x or y on both sides of a power",
                    node,
                    "a power needs a constant exponent (like x^2, x^-1 or x^(1/2)) "
                    "or a positive constant base (like 2^x or e^x)",
                )
            if not (math.isfinite(b) and b > 0.0):
                raise self._fail(f"the base {b:g} of a power with a variable exponent must be positive", node.left)
        power = Pow(base, exponent)
        if c is not None and (value := _const_value(power)) is not None and not math.isfinite(value):
            raise self._fail("this constant power is not a finite real number", node)
        return power

    def _call(self, node: ast.Call, depth: int) -> Node:
        func = node.func
        if isinstance(func, ast.Constant) and isinstance(func.value, int | float):  # 2(x + 1)
            raise self._fail(
                f"{func.value} is not a function", func, f"multiplication needs *: write {func.value}*(...)"
            )
        if not isinstance(func, ast.Name):
            what = _DESCRIPTIONS.get(type(func), "this expression")
            # (x + 1)(x - 1): a product written without its *
            hint = "multiplication needs *: write (...)*(...)" if isinstance(func, ast.BinOp | ast.UnaryOp) else ""
            raise self._fail(f"only the named functions can be called, not {what}", node, hint)
        name = ALIASES.get(func.id, func.id)
        if func.id in VARIABLES or func.id in NAMED_CONSTANTS:  # x(y + 1)
            raise self._fail(f"{func.id} is not a function", func, f"multiplication needs *: write {func.id}*(...)")
        if name not in FUNCTIONS:
            raise self._fail(f"unknown function {func.id!r}", func, "the functions are " + ", ".join(sorted(FUNCTIONS)))
        if node.keywords:
            raise self._fail(f"{func.id}() takes no keyword arguments", node.keywords[0].value)
        if any(isinstance(a, ast.Starred) for a in node.args):
            raise self._fail(f"{func.id}() takes no starred arguments", node)
        if len(node.args) != 1:
            raise self._fail(f"{func.id}() takes exactly one argument, got {len(node.args)}", node)
        return Func(name, self._build(node.args[0], depth + 1))


def parse_formula(text: str) -> Node:
    """Parse ``text`` into an expression tree, safely (see the module docstring).

    Raises:
        ValueError: anything that is not an allowed formula, with what is wrong and where.
    """
    node = _Parser(text).parse()
    _compile([node], what="formula")  # enforces MAX_INSTRUCTIONS on the value, too
    return node


# --- rendering ---------------------------------------------------------------------------------------
# Precedence: higher binds tighter.
_PREC = {Add: 1, Sub: 1, Mul: 2, Div: 2, Neg: 3, Pow: 4}


def _prec(node: Node) -> int:
    if isinstance(node, Const) and node.value < 0:
        return 3
    return _PREC.get(type(node), 5)


def _number(v: float) -> str:
    if v == int(v) and abs(v) < 1e15:
        return str(int(v))
    return repr(v)


def to_text(node: Node) -> str:
    """The canonical text of a tree: reparses to the same tree, with ``^`` for powers."""
    if isinstance(node, Const):
        return node.name or _number(node.value)
    if isinstance(node, Var):
        return node.name
    if isinstance(node, Func):
        return f"{node.name}({to_text(node.arg)})"
    if isinstance(node, Neg):
        inner = to_text(node.operand)
        # `-x^2` reads as -(x^2), so only sums need brackets
        return f"-{inner}" if _prec(node.operand) >= 3 else f"-({inner})"
    if isinstance(node, Pow):
        base = to_text(node.base)
        if _prec(node.base) <= 4:
            base = f"({base})"
        exp = to_text(node.exponent)
        if _prec(node.exponent) < 5:  # x^(-2), x^(1/2), x^(2^3): brackets for anything but an atom
            exp = f"({exp})"
        return f"{base}^{exp}"
    assert isinstance(node, Add | Sub | Mul | Div)
    symbol = {Add: " + ", Sub: " - ", Mul: "*", Div: "/"}[type(node)]
    p = _PREC[type(node)]
    left, right = to_text(node.left), to_text(node.right)
    if _prec(node.left) < p:
        left = f"({left})"
    # the right side of - and / (and of + and * too, to keep the tree's shape) needs brackets at equal precedence
    if _prec(node.right) <= p:
        right = f"({right})"
    return f"{left}{symbol}{right}"


def _latex_number(v: float) -> str:
    s = _number(v)
    if "e" in s:
        mantissa, exponent = s.split("e")
        return rf"{mantissa} \times 10^{{{int(exponent)}}}"
    return s


def to_latex(node: Node) -> str:
    """A LaTeX rendering of a tree (readable, not necessarily minimal)."""
    if isinstance(node, Const):
        if node.name == "pi":
            return r"\pi"
        return node.name or _latex_number(node.value)
    if isinstance(node, Var):
        return node.name
    if isinstance(node, Func):
        return FUNCTIONS[node.name].latex.format(to_latex(node.arg))
    if isinstance(node, Neg):
        inner = to_latex(node.operand)
        return f"-{inner}" if _prec(node.operand) > 1 else rf"-\left({inner}\right)"
    if isinstance(node, Pow):
        base = to_latex(node.base)
        if _prec(node.base) <= 4 or isinstance(node.base, Func):
            base = rf"\left({base}\right)"
        return f"{{{base}}}^{{{to_latex(node.exponent)}}}"
    if isinstance(node, Div):
        return rf"\frac{{{to_latex(node.left)}}}{{{to_latex(node.right)}}}"
    assert isinstance(node, Add | Sub | Mul)
    p = _PREC[type(node)]
    left, right = to_latex(node.left), to_latex(node.right)
    if _prec(node.left) < p:
        left = rf"\left({left}\right)"
    if _prec(node.right) < p or (isinstance(node, Sub) and _prec(node.right) == p):
        right = rf"\left({right}\right)"
    if isinstance(node, Add):
        return f"{left} + {right}"
    if isinstance(node, Sub):
        return f"{left} - {right}"
    # a number times something that does not start with a digit reads well without a dot
    if isinstance(node.left, Const) and node.left.name is None and not right[:1].isdigit() and right[:1] != "-":
        return f"{left} {right}"
    return rf"{left} \cdot {right}"


# --- the landscape -----------------------------------------------------------------------------------
def check_bounds(bounds: Any) -> Bounds:
    """A custom surface's plotting window as ``((xmin, xmax), (ymin, ymax))`` floats.

    Raises:
        ValueError: saying what is wrong, in words for the page: not four numbers, not finite or beyond
            ±``MAX_BOUND``, a side whose min is not below its max, or a side narrower than ``MIN_WIDTH``
            or than ``MIN_RELATIVE_WIDTH`` times its larger bound's magnitude.
    """
    try:
        (x0, x1), (y0, y1) = bounds
        values = [float(v) for v in (x0, x1, y0, y1)]
    except (TypeError, ValueError):
        raise ValueError("the bounds must be four numbers: x from, x to, y from, y to") from None
    if not all(math.isfinite(v) and abs(v) <= MAX_BOUND for v in values):
        raise ValueError(f"the bounds must be finite numbers of size at most {MAX_BOUND:g}")
    for axis, lo, hi in (("x", values[0], values[1]), ("y", values[2], values[3])):
        if not lo < hi:
            raise ValueError(f"the {axis} bounds need from < to, got {lo:g} and {hi:g}")
        narrowest = max(MIN_WIDTH, MIN_RELATIVE_WIDTH * max(abs(lo), abs(hi)))
        if hi - lo < narrowest:
            raise ValueError(f"the {axis} bounds {lo:g} … {hi:g} are narrower than {narrowest:g}")
    return ((values[0], values[1]), (values[2], values[3]))


class FormulaLandscape(Landscape):
    """A landscape given by a formula in ``x`` and ``y`` (see `from_formula`).

    Attributes beyond `Landscape`'s: ``formula`` (the canonical text, with ``^`` for powers; it
    parses back to the same tree), ``tree`` (the parsed expression) and ``lowest`` (the window's lowest
    points, found numerically; ``minima`` and ``min_value`` come from it) and ``has_domain`` (whether the
    value may be undefined at a finite point: ``log``, ``sqrt``, a division by x, …). ``title`` is
    ``"Custom: <formula>"``; ``start`` is described in `_choose_start`.

    Immutable: equal formulas (same canonical text) with equal bounds compare equal and hash
    alike, so the app can cache on them; pickling rebuilds from the text. Not in the registry (it
    has no ``key``).
    """

    teaches = "Your own surface: watch how each optimizer copes with the valleys, ridges and plateaus you wrote."
    numeric_minima = True

    def __init__(self, formula: str, bounds: Bounds = DEFAULT_BOUNDS) -> None:
        """Parse and compile ``formula``.

        Raises:
            ValueError: the formula is not allowed (see the module docstring), the bounds are
                invalid, or the formula is not finite anywhere in the bounds.
        """
        super().__init__()  # sets self.p = {} (no parameters)
        checked_bounds = check_bounds(bounds)
        tree = parse_formula(formula)
        # each _diff call gets a fresh memo; h_xy is d/dy of g_x, so the Hessian is exactly symmetric
        gx, gy = _diff(tree, "x", {}), _diff(tree, "y", {})
        hxx, hxy, hyy = _diff(gx, "x", {}), _diff(gx, "y", {}), _diff(gy, "y", {})
        text = to_text(tree)
        state = {
            "_tree": tree,
            "_bounds": checked_bounds,
            "formula": text,
            "_value_program": _compile([tree], what="formula"),
            "_gradient_program": _compile([gx, gy], what="gradient"),
            "_hessian_program": _compile([hxx, hxy, hyy], what="Hessian"),
            "_title": f"Custom: {text}",
            "_latex": to_latex(tree),
            "has_domain": _may_be_undefined(tree),
        }
        state["step_cost"] = _program_cost(state["_gradient_program"])
        state["hessian_cost"] = _program_cost(state["_hessian_program"])
        self.__dict__.update(state)
        self.__dict__["_start"] = self._choose_start()
        self.__dict__["_frozen"] = True

    # -- immutability and identity --
    def __setattr__(self, name: str, value: Any) -> None:
        if self.__dict__.get("_frozen"):
            raise AttributeError(f"{type(self).__name__} is immutable")
        super().__setattr__(name, value)

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, FormulaLandscape):
            return NotImplemented
        return (self.formula, self._bounds) == (other.formula, other._bounds)

    def __hash__(self) -> int:
        return hash((type(self).__name__, self.formula, self._bounds))

    def __reduce__(self) -> tuple[Any, ...]:
        # through the cache: an unpickled copy (the app's cached results) shares the minima found once
        return (from_formula, (self.formula, self._bounds))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.formula!r}, bounds={self._bounds!r})"

    # -- descriptive attributes --
    @property  # type: ignore[override]
    def title(self) -> str:  # type: ignore[override]
        """``"Custom: <canonical formula>"``."""
        return self._title

    @property  # type: ignore[override]
    def latex(self) -> str:  # type: ignore[override]
        """The formula as LaTeX."""
        return self._latex

    @property
    def lowest(self) -> Lowest:
        """The window's lowest points, found numerically on first use (see `landscapes.lowest`)."""
        found = self.__dict__.get("_lowest")
        if found is None:  # computed once per instance; equal instances compute equal answers
            found = self.__dict__["_lowest"] = find_lowest(self.value, self.gradient, self.hessian, self._bounds)
        return found

    @property
    def min_value(self) -> float | None:  # type: ignore[override]
        """The lowest value in the window where `lowest` found one (at points or along a curve), else ``None``
        (none found, lower past the window's edge, falling without bound inside it, or flat)."""
        return self.lowest.value

    @property
    def tree(self) -> Node:
        """The parsed expression tree."""
        return self._tree

    @property
    def program_sizes(self) -> tuple[int, int]:
        """Instructions of the compiled gradient and Hessian: what one optimizer step costs at one point
        (NumPy runs each in about 1.7 µs there, whatever the function)."""
        return len(self._gradient_program.code), len(self._hessian_program.code)

    @property
    def bounds(self) -> Bounds:
        """The bounds given to `from_formula`."""
        return self._bounds

    @property
    def minima(self) -> Array:
        """The window's lowest points, found numerically (see `lowest`); shape ``(k, 2)``, ``(0, 2)`` where
        there are none (the surface falls past the window's edge or without bound inside it, its lowest value
        is reached along a curve, it is flat, or no minimum was found)."""
        return self.lowest.minima.copy()

    @property
    def basin_minima(self) -> Array:
        """Every minimum the search found in the window, lowest first (the ☆ ones, then local ones), for
        basin maps; ``(0, 2)`` where it found no lowest point."""
        return self.lowest.local.copy()

    @property
    def start(self) -> Array:
        """A start point for demonstrations (see `_choose_start`)."""
        return np.array(self._start, dtype=float)

    def _choose_start(self) -> tuple[float, float]:
        """Pick a start point; raise ``ValueError`` when the formula is finite nowhere in the bounds.

        Like the built-in surfaces, start 80% of the way from the centre towards a corner (upper
        right first, then the others counter-clockwise), where the value and gradient are finite
        and the gradient is not zero. If no corner qualifies, take the highest such point of a
        17 × 17 grid over the bounds; failing that, any point of the grid where the value is finite.
        """
        (x0, x1), (y0, y1) = self._bounds
        cx, cy, hx, hy = (x0 + x1) / 2, (y0 + y1) / 2, (x1 - x0) / 2, (y1 - y0) / 2
        corners = np.array(
            [[cx + sx * 0.8 * hx, cy + sy * 0.8 * hy] for sx, sy in ((1, 1), (-1, 1), (-1, -1), (1, -1))]
        )
        gx_grid, gy_grid = np.meshgrid(np.linspace(x0, x1, 17), np.linspace(y0, y1, 17))
        grid = np.stack([gx_grid.ravel(), gy_grid.ravel()], axis=-1)
        values = self.value(grid)
        finite = np.isfinite(values)
        if not finite.any() and not np.isfinite(self.value(corners)).any():
            raise ValueError("the formula is not finite anywhere in the bounds")
        by_height = np.argsort(-np.where(finite, values, -np.inf), kind="stable")
        for points, order in ((corners, np.arange(4)), (grid, by_height)):
            v, g = self.value(points), self.gradient(points)
            good = np.isfinite(v) & np.isfinite(g).all(axis=-1) & (np.abs(g).sum(axis=-1) > 0)
            for i in order:
                if good[i]:
                    return float(points[i, 0]), float(points[i, 1])
        candidates = np.concatenate([corners, grid])
        i = int(np.flatnonzero(np.isfinite(self.value(candidates)))[0])
        return float(candidates[i, 0]), float(candidates[i, 1])

    # -- maths --
    def _value(self, x: Array, y: Array) -> Array:
        return self._value_program.run(x, y)[0]

    def _gradient(self, x: Array, y: Array) -> tuple[Array, Array]:
        gx, gy = self._gradient_program.run(x, y)
        return gx, gy

    def _hessian(self, x: Array, y: Array) -> tuple[Array, Array, Array]:
        hxx, hxy, hyy = self._hessian_program.run(x, y)
        return hxx, hxy, hyy


def from_formula(text: str, bounds: Bounds = DEFAULT_BOUNDS) -> FormulaLandscape:
    """A landscape from a formula in ``x`` and ``y``, such as ``"(1 - x)^2 + 100*(y - x^2)^2"``.

    Args:
        text: the formula, as a person writes it: numbers, ``x``, ``y``, ``pi``, ``e``,
            ``+ - * / ^ **``, brackets and the functions in `FUNCTIONS` (``ln``, ``atan``, ``asin``,
            ``acos``, ``asinh`` are accepted too). ``^`` means power.
        bounds: the plotting window ``((xmin, xmax), (ymin, ymax))``: finite, each at most 1e6 in size,
            each side at least 0.01 and 1e-4 of its larger bound's size wide (see `check_bounds`).

    Returns:
        A `FormulaLandscape` with exact (symbolic) gradient and Hessian.

    Raises:
        ValueError: the text is not an allowed formula (the message says what and where), the
            bounds are invalid, or the formula is not finite anywhere in the bounds.
    """
    if not isinstance(text, str):
        raise ValueError(f"the formula must be text, got {type(text).__name__}")
    return _cached_landscape(text, check_bounds(bounds))


@functools.lru_cache(maxsize=128)
def _cached_landscape(text: str, bounds: Bounds) -> FormulaLandscape:
    # instances are immutable, so the page's reruns can share them; failures are not cached
    return FormulaLandscape(text, bounds)
