#!/usr/bin/env python3
"""Writes catalogs/rubik2.json and catalogs/rubik3.json from a 3-D model of the cube.

Axes: x towards R, y towards U, z towards F. A facelet is (cubie position, outward
normal); centres of the 3x3x3 are not facelets. Facelets are numbered face by face
in the order U, L, F, R, B, D, each face read row by row on the standard net

        U
    L   F   R   B
        D

(U seen from above with B at the top, D seen from below with F at the top, the
side faces seen from outside with U at the top). For the 3x3x3 this is GAP's
Rubik's cube example numbering minus 1. A face turn is a clockwise quarter turn
seen from outside that face; point i goes to images[i] (0-based).

Usage: python3 scripts/cube_facelets.py   (run from the repository root)
"""
import json

NORMALS = {"U": (0, 1, 0), "D": (0, -1, 0), "L": (-1, 0, 0),
           "R": (1, 0, 0), "F": (0, 0, 1), "B": (0, 0, -1)}


def facelets(n):
    c = [-1, 0, 1] if n == 3 else [-1, 1]
    hi, lo = c[-1], c[0]
    cells = []
    for face in "ULFRBD":
        for r, a in enumerate(c):          # a: row coordinate, top row first
            for k, b in enumerate(c):      # b: column coordinate, left first
                if n == 3 and r == 1 and k == 1:
                    continue
                pos = {"U": (b, hi, a), "L": (lo, -a, b), "F": (b, -a, hi),
                       "R": (hi, -a, -b), "B": (-b, -a, lo), "D": (b, lo, -a)}[face]
                cells.append((pos, NORMALS[face]))
    return cells


def quarter(axis, v):
    """Clockwise quarter turn seen from the +axis side (right-handed angle -90°)."""
    x, y, z = v
    turns = 1 if sum(axis) > 0 else 3
    for _ in range(turns):
        if axis[0]:
            x, y, z = x, z, -y
        elif axis[1]:
            x, y, z = -z, y, x
        else:
            x, y, z = y, -x, z
    return (x, y, z)


def turn(cells, face):
    index = {cell: i for i, cell in enumerate(cells)}
    axis = NORMALS[face]
    hi = max(max(p) for p, _ in cells)
    images = []
    for pos, normal in cells:
        if sum(p * q for p, q in zip(pos, axis)) == hi:
            images.append(index[(quarter(axis, pos), quarter(axis, normal))])
        else:
            images.append(index[(pos, normal)])
    assert sorted(images) == list(range(len(cells)))
    return images


NUMBERING = ("Facelets numbered 0-based face by face in the order U, L, F, R, B, D, each face "
             "read row by row on the standard net (U seen from above with B at the top, D seen "
             "from below with F at the top, L, F, R, B seen from outside with U at the top); "
             "a generator is the clockwise quarter turn of that face seen from outside. ")


def write(path, spec, generator_names):
    perms = spec["representations"]["facelets"]["permutation"]
    lines = ",\n".join(f'        "{g}": {json.dumps(perms[g])}' for g in generator_names)
    head = {k: v for k, v in spec.items() if k != "representations"}
    text = "{\n" + "".join(f"  {json.dumps(k)}: {json.dumps(v)},\n" for k, v in head.items())
    text += '  "representations": {\n    "facelets": {\n      "permutation": {\n'
    text += lines + "\n      }\n    }\n  }\n}\n"
    assert json.loads(text) == spec
    with open(path, "w") as f:
        f.write(text)


def main():
    cells3 = facelets(3)
    names3 = ["U", "D", "L", "R", "F", "B"]
    write("catalogs/rubik3.json", {
        "name": "rubik3",
        "description": "Rubik's cube group: the 3x3x3 cube's six face quarter turns acting on its "
                       "48 movable facelets (centres fixed, not facelets)",
        "source": NUMBERING + "Same numbering and generators as GAP's Rubik's cube example "
                  "(GAP manual, points minus 1); generated from a 3-D model by scripts/cube_facelets.py.",
        "order": "43252003274489856000",
        "generators": names3,
        "defining": "facelets",
        "representations": {"facelets": {"permutation": {g: turn(cells3, g) for g in names3}}},
    }, names3)
    cells2 = facelets(2)
    names2 = ["U", "R", "F"]
    write("catalogs/rubik2.json", {
        "name": "rubik2",
        "description": "2x2x2 cube group with the D-L-B corner held fixed: quarter turns of the "
                       "faces U, R, F acting on the 24 facelets (the fixed corner's 3 facelets are fixed points)",
        "source": NUMBERING + "Generated from a 3-D model by scripts/cube_facelets.py; "
                  "order 7! * 3^6 = 3674160.",
        "order": "3674160",
        "generators": names2,
        "defining": "facelets",
        "representations": {"facelets": {"permutation": {g: turn(cells2, g) for g in names2}}},
    }, names2)


if __name__ == "__main__":
    main()
