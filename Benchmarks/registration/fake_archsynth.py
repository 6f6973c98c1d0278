#!/usr/bin/env python3
"""A stand-in for `archsynth register` that tests evaluate.py's subprocess
adapter: it parses the documented command line

    fake_archsynth.py register --model model.json --fixed A.npy --moving B.npy -o field.npy [--warped W.npy]

and writes a zero displacement (2, H, W) float32 (and, with --warped, the
moving image unchanged).  Standard library only: it reads the .npy header
for the shape and writes .npy version 1.0 itself.
"""

import ast
import struct
import sys


def read_npy_shape(path):
    with open(path, "rb") as f:
        magic = f.read(8)
        if magic[:6] != b"\x93NUMPY":
            raise SystemExit(f"{path}: not a .npy file")
        major = magic[6]
        length = struct.unpack("<H" if major == 1 else "<I", f.read(2 if major == 1 else 4))[0]
        header = ast.literal_eval(f.read(length).decode("latin1"))
        return tuple(header["shape"]), f.read()


def write_npy(path, shape, payload):
    header = "{'descr': '<f4', 'fortran_order': False, 'shape': %s, }" % (repr(tuple(shape)),)
    padding = 64 - (10 + len(header) + 1) % 64
    header = header + " " * padding + "\n"
    with open(path, "wb") as f:
        f.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode("latin1") + payload)


def main(argv):
    if len(argv) < 1 or argv[0] != "register":
        print("usage: fake_archsynth.py register --model M --fixed A.npy --moving B.npy -o field.npy", file=sys.stderr)
        return 64
    options = {}
    i = 1
    while i < len(argv):
        if argv[i] not in ("--model", "--fixed", "--moving", "-o", "--warped") or i + 1 >= len(argv):
            print(f"fake_archsynth.py: unexpected argument {argv[i]}", file=sys.stderr)
            return 64
        options[argv[i]] = argv[i + 1]
        i += 2
    for required in ("--model", "--fixed", "--moving", "-o"):
        if required not in options:
            print(f"fake_archsynth.py: missing {required}", file=sys.stderr)
            return 64
    shape, _ = read_npy_shape(options["--fixed"])
    moving_shape, moving_payload = read_npy_shape(options["--moving"])
    if shape != moving_shape or len(shape) != 2:
        print(f"fake_archsynth.py: shapes {shape} and {moving_shape}", file=sys.stderr)
        return 1
    write_npy(options["-o"], (2,) + shape, b"\x00" * (4 * 2 * shape[0] * shape[1]))
    if "--warped" in options:
        write_npy(options["--warped"], shape, moving_payload)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
