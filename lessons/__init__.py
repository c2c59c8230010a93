"""Lessons as data: a scene plus words (a question for the class and an explanation).

A lesson never adds a code path to the page: choosing one loads its :class:`scene.Scene` into the
controls, exactly as a shared link would, and shows its question and, on "Reveal", its explanation.

Public API:

- :class:`Lesson` — one lesson (frozen);
- :data:`LESSONS` — every lesson, in teaching order;
- :func:`keys` — their URL keys, in order;
- :func:`get` — a lesson by key (``None`` when unknown).
"""

from __future__ import annotations

from .base import Lesson
from .catalog import LESSONS

__all__ = ["LESSONS", "Lesson", "get", "keys"]

_BY_KEY: dict[str, Lesson] = {lesson.key: lesson for lesson in LESSONS}


def keys() -> list[str]:
    """The lesson keys (URL-safe slugs), in teaching order."""
    return [lesson.key for lesson in LESSONS]


def get(key: str) -> Lesson | None:
    """The lesson called ``key``, or ``None`` when there is no such lesson.

    Args:
        key: a lesson key as it appears in ``?lesson=<key>``.

    Returns:
        The :class:`Lesson`, or ``None``.
    """
    return _BY_KEY.get(key)
