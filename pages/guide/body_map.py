"""The "Where is your pain?" body map: a simple front and back outline, drawn by hand.

Each body region (Condition.BodyRegion) is a set of shapes; the template wraps a region's
shapes in one link to /conditions/#<region>. Coordinates are in a 360 x 440 view box: the
front figure stands on x = 90, the back figure on x = 270.
"""
from dataclasses import dataclass

from django.urls import reverse

from ..models import Condition

VIEW_BOX = "0 0 360 440"
FRONT, BACK = 90, 270
SHIFT = BACK - FRONT


def _ellipse(cx, cy, rx, ry):
    return ("ellipse", (cx, cy, rx, ry))


def _poly(*points):
    return ("poly", points)


def _mirror(shape, axis=FRONT):
    kind, data = shape
    if kind == "ellipse":
        cx, cy, rx, ry = data
        return kind, (2 * axis - cx, cy, rx, ry)
    return kind, tuple((2 * axis - x, y) for x, y in data)


def _shift(shape, dx=SHIFT):
    kind, data = shape
    if kind == "ellipse":
        cx, cy, rx, ry = data
        return kind, (cx + dx, cy, rx, ry)
    return kind, tuple((x + dx, y) for x, y in data)


def _path(shape):
    kind, data = shape
    if kind == "ellipse":
        cx, cy, rx, ry = data
        return f"M{cx - rx} {cy} a{rx} {ry} 0 1 0 {2 * rx} 0 a{rx} {ry} 0 1 0 {-2 * rx} 0 Z"
    return "M" + " L".join(f"{x} {y}" for x, y in data) + " Z"


def _both_sides(*shapes):
    return [*shapes, *(_mirror(s) for s in shapes)]


def _both_figures(shapes):
    return [*shapes, *(_shift(s) for s in shapes)]


# The left half (as seen) of the front figure; the right half is its mirror image.
HEAD = _ellipse(90, 40, 21, 27)
NECK = _poly((80, 64), (100, 64), (101, 82), (79, 82))
SHOULDER = _ellipse(61, 94, 16, 12)
UPPER_ARM = _poly((46, 102), (60, 106), (56, 150), (41, 148))
FOREARM = _poly((41, 150), (56, 152), (51, 200), (39, 198))
HAND = _ellipse(44, 211, 7, 11)
HIP = _poly((64, 190), (116, 190), (121, 226), (59, 226))
LEG = _poly((59, 228), (88, 228), (86, 300), (84, 382), (70, 382), (65, 300))
FOOT = _ellipse(76, 394, 14, 8)
# Back figure only.
UPPER_BACK = _poly((250, 82), (290, 82), (298, 104), (296, 142), (244, 142), (242, 104))
LOW_BACK = _poly((244, 144), (296, 144), (295, 188), (245, 188))
# Decoration: the chest and belly of the front figure (not a region).
TORSO = _poly((71, 82), (109, 82), (118, 104), (115, 150), (116, 188), (64, 188), (65, 150), (62, 104))

REGION_SHAPES = {
    Condition.BodyRegion.HEAD: _both_figures([HEAD]),
    Condition.BodyRegion.NECK: _both_figures([NECK]),
    Condition.BodyRegion.SHOULDER: _both_figures(_both_sides(SHOULDER)),
    Condition.BodyRegion.ARM: _both_figures(_both_sides(UPPER_ARM, FOREARM, HAND)),
    Condition.BodyRegion.UPPER_BACK: [UPPER_BACK],
    Condition.BodyRegion.LOW_BACK: [LOW_BACK],
    Condition.BodyRegion.HIP: _both_figures([HIP]),
    Condition.BodyRegion.LEG: _both_figures(_both_sides(LEG)),
    Condition.BodyRegion.FOOT: _both_figures(_both_sides(FOOT)),
}
DECORATION = [_path(TORSO)]


@dataclass(frozen=True)
class Region:
    value: str
    label: str
    url: str
    linked: bool  # False when no published condition is listed for it yet
    paths: tuple


def regions(linked_values=None):
    """Every body region, top to bottom, with its link and its shapes.

    `linked_values` are the regions that have published conditions; by default they are
    looked up. Only those are links, so every link reaches a section of /conditions/.
    """
    if linked_values is None:
        linked_values = set(Condition.objects.published().in_language().values_list("body_region", flat=True))
    base = reverse("pages:conditions")
    return [
        Region(
            value=value,
            label=label,
            url=f"{base}#{value}",
            linked=value in linked_values,
            paths=tuple(_path(shape) for shape in REGION_SHAPES[value]),
        )
        for value, label in Condition.BodyRegion.choices
    ]
