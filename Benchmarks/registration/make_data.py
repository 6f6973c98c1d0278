"""Writes the registration benchmark's data sets (CONVENTIONS.md), deterministically.

    python make_data.py --size 64            # both sets under data/
    python make_data.py --size 128 --out DIR

Each set's manifest (seeds, counts, versions, a sha256 over all its files) is
written to data/SET/manifest.json and, to be committed, results/data-SET.json.

Sets (each with train/ and test/pairs.json):

  triangles-N  ICON's 2-D "triangles and circles" benchmark, reimplemented in
               numpy from icon_registration.data.get_dataset_triangles (1.1.9)
               with our own seeds: centre U[0.4,0.7]^2, radius U[0.2,0.4],
               rotation U[0,2pi), image tanh(-40 sdf) on np.mgrid[0:1:N*1j]^2,
               triangle when U[0,1) > 0.5 else circle.  Mask = image > 0.
               Held-out pairs are two independent shapes (no true displacement).
  real-N       Images bundled in the scikit-image wheel (camera, retina, coins,
               astronaut): grey, centre-cropped to a square, resized to N x N
               (anti-aliased), scaled to [-1, 1].  Each is deformed with ICON's
               retina warp (sigma 25 on a 3-point grid, then sigma 12 on a
               6-point grid, sigmas scaled by N/565; see regcommon.icon_style_warp).
               train/<source>/ holds warps of that source.  A held-out pair is
               moving = base o (id+a), fixed = moving o (id+u) with a, u fresh
               warps, so moving(x + u(x)) = fixed(x) and u is stored as the true
               displacement (both images are sampled once from the base, at the
               composed displacement).  Mask = base > Otsu threshold of the base,
               deformed the same way (bilinear, then > 0.5).
"""

import argparse
import json
import os
import sys

import numpy as np

import regcommon as rc

TRIANGLE_TRAIN_SEED = 2020
TRIANGLE_TEST_SEED = 2021
REAL_TRAIN_SEED = 3030
REAL_TEST_SEED = 3031
REAL_SOURCES = ["camera", "retina", "coins", "astronaut"]


def triangles(rng, count, size):
    """count images (count, size, size) of ICON's triangles-and-circles generator."""
    x, y = np.mgrid[0:1:size * 1j, 0:1:size * 1j]
    x = x[None]
    y = y[None]
    cx = rng.random((count, 1, 1)) * 0.3 + 0.4
    cy = rng.random((count, 1, 1)) * 0.3 + 0.4
    r = rng.random((count, 1, 1)) * 0.2 + 0.2
    theta = rng.random((count, 1, 1)) * np.pi * 2
    is_triangle = rng.random((count, 1, 1)) > 0.5
    dist = np.sqrt((x - cx) ** 2 + (y - cy) ** 2)
    tri_sdf = dist - r * np.cos(np.pi / 3) / np.cos(
        (np.arctan2(x - cx, y - cy) + theta) % (2 * np.pi / 3) - np.pi / 3)
    circle_sdf = dist - r
    sdf = np.where(is_triangle, tri_sdf, circle_sdf)
    return np.tanh(-40 * sdf)


def make_triangles(out, size, train_count, test_pairs):
    set_dir = os.path.join(out, f"triangles-{size}")
    train_dir = os.path.join(set_dir, "train")
    test_dir = os.path.join(set_dir, "test")
    os.makedirs(train_dir, exist_ok=True)
    os.makedirs(test_dir, exist_ok=True)
    train = triangles(np.random.default_rng(TRIANGLE_TRAIN_SEED), train_count, size)
    for i, im in enumerate(train):
        rc.save_npy(os.path.join(train_dir, f"{i:05d}.npy"), im)
    test = triangles(np.random.default_rng(TRIANGLE_TEST_SEED), 2 * test_pairs, size)
    pairs = []
    for k in range(test_pairs):
        entry = {}
        for role, im in (("fixed", test[2 * k]), ("moving", test[2 * k + 1])):
            name = f"{k:03d}_{role}"
            rc.save_npy(os.path.join(test_dir, name + ".npy"), im)
            rc.save_npy(os.path.join(test_dir, name + "_mask.npy"), (im > 0).astype(np.float32))
            entry[role] = name + ".npy"
            entry[role + "_mask"] = name + "_mask.npy"
        pairs.append(entry)
    with open(os.path.join(test_dir, "pairs.json"), "w") as f:
        json.dump(pairs, f, indent=1)
    return set_dir, {"train_images": train_count, "test_pairs": test_pairs,
                     "train_seed": TRIANGLE_TRAIN_SEED, "test_seed": TRIANGLE_TEST_SEED}


def load_source(name, size):
    import skimage
    from skimage import color, data, transform

    image = getattr(data, name)()
    if image.ndim == 3:
        image = color.rgb2gray(image[..., :3])
    image = image.astype(np.float64)
    h, w = image.shape
    side = min(h, w)
    top = (h - side) // 2
    left = (w - side) // 2
    image = image[top:top + side, left:left + side]
    image = transform.resize(image, (size, size), order=1, anti_aliasing=True)
    image = 2 * (image - image.min()) / (image.max() - image.min()) - 1
    return image


def make_real(out, size, train_warps, test_pairs_per_source):
    from skimage.filters import threshold_otsu

    set_dir = os.path.join(out, f"real-{size}")
    test_dir = os.path.join(set_dir, "test")
    os.makedirs(test_dir, exist_ok=True)
    pairs = []
    masks_info = {}
    for index, name in enumerate(REAL_SOURCES):
        base = load_source(name, size)
        threshold = float(threshold_otsu(base))
        base_mask = (base > threshold).astype(np.float64)
        masks_info[name] = {"otsu_threshold": threshold, "mask_fraction": float(base_mask.mean())}
        train_dir = os.path.join(set_dir, "train", name)
        os.makedirs(train_dir, exist_ok=True)
        rng = np.random.default_rng([REAL_TRAIN_SEED, index])
        for i in range(train_warps):
            a = rc.icon_style_warp(rng, size)
            rc.save_npy(os.path.join(train_dir, f"{i:04d}.npy"), rc.warp(base, a))
        rng = np.random.default_rng([REAL_TEST_SEED, index])
        for k in range(test_pairs_per_source):
            a = rc.icon_style_warp(rng, size)
            u = rc.icon_style_warp(rng, size)
            composite = rc.compose(a, u)  # (id+a) o (id+u)
            stem = f"{name}_{k:03d}"
            images = {
                "moving": rc.warp(base, a),
                "fixed": rc.warp(base, composite),
                "moving_mask": (rc.warp(base_mask, a) > 0.5).astype(np.float32),
                "fixed_mask": (rc.warp(base_mask, composite) > 0.5).astype(np.float32),
                "displacement": u,
            }
            entry = {"source": name}
            for role, array in images.items():
                file = f"{stem}_{role}.npy"
                rc.save_npy(os.path.join(test_dir, file), array)
                entry[role] = file
            pairs.append(entry)
    with open(os.path.join(test_dir, "pairs.json"), "w") as f:
        json.dump(pairs, f, indent=1)
    return set_dir, {"sources": REAL_SOURCES, "train_warps_per_source": train_warps,
                     "test_pairs": len(pairs), "train_seed": REAL_TRAIN_SEED,
                     "test_seed": REAL_TEST_SEED, "masks": masks_info,
                     "warp": "sigma 25 px on 3x3 then 12 px on 6x6 periodic control grids, "
                             f"scaled by {size}/565"}


def digest(set_dir):
    """sha256 over every file of the set (sorted relative paths and contents), manifest excluded."""
    import hashlib
    h = hashlib.sha256()
    for root, _, files in sorted(os.walk(set_dir)):
        for name in sorted(files):
            rel = os.path.relpath(os.path.join(root, name), set_dir)
            if rel == "manifest.json":
                continue
            h.update(rel.encode())
            with open(os.path.join(root, name), "rb") as f:
                h.update(f.read())
    return h.hexdigest()


def versions():
    import scipy
    import skimage
    return {"python": sys.version.split()[0], "numpy": np.__version__,
            "scipy": scipy.__version__, "scikit-image": skimage.__version__}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, choices=[64, 128], default=64)
    parser.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "data"))
    parser.add_argument("--triangle-train", type=int, default=2048)
    parser.add_argument("--real-train-warps", type=int, default=256, help="per source image")
    parser.add_argument("--test-pairs", type=int, default=48, help="triangles; real uses test-pairs/4 per source")
    args = parser.parse_args()

    for maker, kwargs in ((make_triangles, dict(train_count=args.triangle_train, test_pairs=args.test_pairs)),
                          (make_real, dict(train_warps=args.real_train_warps,
                                           test_pairs_per_source=args.test_pairs // len(REAL_SOURCES)))):
        set_dir, info = maker(args.out, args.size, **kwargs)
        info.update({"size": args.size, "versions": versions(), "generator": maker.__name__,
                     "sha256": digest(set_dir)})
        for path in (os.path.join(set_dir, "manifest.json"),
                     os.path.join(os.path.dirname(os.path.abspath(__file__)), "results",
                                  f"data-{os.path.basename(set_dir)}.json")):
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w") as f:
                json.dump(info, f, indent=1)
        n_files = sum(len(files) for _, _, files in os.walk(set_dir))
        print(f"wrote {set_dir}: {n_files} files; " + json.dumps({k: v for k, v in info.items() if k != 'masks'}))


if __name__ == "__main__":
    main()
