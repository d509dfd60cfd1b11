"""Matrices and boxes of PDF space.

Matrices are PDF's ``[a b c d e f]``, applied to row vectors: ``multiply(first, then)`` maps by
``first`` and then by ``then``. Boxes are ``(x0, y0, x1, y1)`` with ``x0 <= x1`` and ``y0 <= y1``.
"""

from __future__ import annotations

Matrix = tuple[float, float, float, float, float, float]
Box = tuple[float, float, float, float]

IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def multiply(first: Matrix, then: Matrix) -> Matrix:
    a, b, c, d, e, f = first
    a2, b2, c2, d2, e2, f2 = then
    return (
        a * a2 + b * c2,
        a * b2 + b * d2,
        c * a2 + d * c2,
        c * b2 + d * d2,
        e * a2 + f * c2 + e2,
        e * b2 + f * d2 + f2,
    )


def translate(matrix: Matrix, x: float, y: float) -> Matrix:
    """``matrix`` moved by (x, y) in its own units: [1 0 0 1 x y] × matrix."""
    a, b, c, d, e, f = matrix
    return (a, b, c, d, x * a + y * c + e, x * b + y * d + f)


def box_through(box: Box, matrix: Matrix) -> Box:
    """The bounding box of ``box`` mapped by ``matrix``."""
    a, b, c, d, e, f = matrix
    xs: list[float] = []
    ys: list[float] = []
    for x in (box[0], box[2]):
        for y in (box[1], box[3]):
            xs.append(x * a + y * c + e)
            ys.append(x * b + y * d + f)
    return (min(xs), min(ys), max(xs), max(ys))


def intersection(first: Box, second: Box) -> Box | None:
    box = (
        max(first[0], second[0]),
        max(first[1], second[1]),
        min(first[2], second[2]),
        min(first[3], second[3]),
    )
    return box if box[0] < box[2] and box[1] < box[3] else None


def area(box: Box) -> float:
    return (box[2] - box[0]) * (box[3] - box[1])


def covers(outer: Box, inner: Box) -> bool:
    return (
        outer[0] <= inner[0]
        and outer[1] <= inner[1]
        and outer[2] >= inner[2]
        and outer[3] >= inner[3]
    )


def axis_aligned(matrix: Matrix) -> bool:
    return (matrix[1] == 0 and matrix[2] == 0) or (matrix[0] == 0 and matrix[3] == 0)


def union(first: Box, second: Box) -> Box:
    return (
        min(first[0], second[0]),
        min(first[1], second[1]),
        max(first[2], second[2]),
        max(first[3], second[3]),
    )
