"""The :class:`Lesson` value: a scene, a question for the class and an explanation."""

from __future__ import annotations

import re
from dataclasses import dataclass

from scene import Scene

_SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Lesson:
    """One lesson.

    Attributes:
        key: URL-safe slug, as in ``?lesson=<key>``.
        title: short title, shown in the lesson picker and above the question.
        scene: everything the panels show (its ``lesson`` field is ``key``).
        question: one or two sentences for the class to answer before the paths are revealed.
        explanation: a few short markdown paragraphs (``$…$`` LaTeX allowed); its numbers are true of
            the picture (the tests check the ones that can be checked).
        source: where the lesson comes from (a seed note, a paper, a framework's source).
    """

    key: str
    title: str
    scene: Scene
    question: str
    explanation: str
    source: str = ""

    def __post_init__(self) -> None:
        """Check the key is a slug and the scene carries it."""
        if not _SLUG.match(self.key):
            raise ValueError(f"lesson key {self.key!r} is not a URL-safe slug (a-z, 0-9, single hyphens)")
        if self.scene.lesson != self.key:
            raise ValueError(f"lesson {self.key!r}: its scene's lesson field is {self.scene.lesson!r}")


def lesson(key: str, title: str, scene: Scene, question: str, explanation: str, source: str = "") -> Lesson:
    """Build a :class:`Lesson`, stamping ``key`` into the scene's ``lesson`` field.

    Args:
        key: URL slug.
        title: short title.
        scene: the scene (its ``lesson`` field is overwritten with ``key``).
        question: the question for the class.
        explanation: the explanation (markdown; surrounding blank lines and indentation are removed).
        source: where the lesson comes from.

    Returns:
        The lesson.
    """
    text = "\n".join(line.strip() for line in explanation.strip().splitlines())
    return Lesson(key, title, scene.with_(lesson=key), " ".join(question.split()), text, source)
