"""Shared numpy helpers for the registration benchmark (CONVENTIONS.md).

Everything here is plain numpy so that make_data.py, evaluate.py and
check_conventions.py use one implementation of periodic bilinear sampling,
random smooth warps and the metrics.

Field convention: a displacement u has shape (2, H, W) in pixels, channel 0 is
the row (axis 0), channel 1 the column (axis 1); Phi(x) = x + u(x) and the
warped moving image is moving(Phi(x)), which should equal fixed(x).
"""

import json
import os

import numpy as np


# ---------------------------------------------------------------- sampling

def sample_periodic(image, rows, cols):
    """Bilinear sample of `image` (H, W) or (C, H, W) at real coordinates
    (rows, cols) (each of shape (H', W')), indices taken modulo H and W."""
    h, w = image.shape[-2:]
    r0 = np.floor(rows)
    c0 = np.floor(cols)
    fr = (rows - r0).astype(np.float64)
    fc = (cols - c0).astype(np.float64)
    r0 = r0.astype(np.int64) % h
    c0 = c0.astype(np.int64) % w
    r1 = (r0 + 1) % h
    c1 = (c0 + 1) % w
    v00 = image[..., r0, c0]
    v01 = image[..., r0, c1]
    v10 = image[..., r1, c0]
    v11 = image[..., r1, c1]
    top = v00 * (1 - fc) + v01 * fc
    bottom = v10 * (1 - fc) + v11 * fc
    return top * (1 - fr) + bottom * fr


def sample_clamped(image, rows, cols):
    """Bilinear sample with coordinates clamped to the image (icon_registration's
    'border' padding), for the non-periodic secondary metrics."""
    h, w = image.shape[-2:]
    return sample_periodic(image, np.clip(rows, 0, h - 1 - 1e-9), np.clip(cols, 0, w - 1 - 1e-9))


def identity_grid(h, w):
    rows, cols = np.meshgrid(np.arange(h, dtype=np.float64),
                             np.arange(w, dtype=np.float64), indexing="ij")
    return rows, cols


def warp(image, u):
    """moving(x + u(x)) for every pixel x, periodic bilinear."""
    h, w = image.shape[-2:]
    rows, cols = identity_grid(h, w)
    return sample_periodic(image, rows + u[0], cols + u[1])


def compose(u_outer, u_inner):
    """Displacement of (id + u_outer) o (id + u_inner):
    x -> x + u_inner(x) + u_outer(x + u_inner(x))."""
    return u_inner + warp(u_outer, u_inner)


def wrap_displacement(d, shape):
    """Map a displacement difference to the nearest periodic representative,
    each component in [-N/2, N/2)."""
    h, w = shape
    out = np.empty_like(d)
    out[0] = (d[0] + h / 2) % h - h / 2
    out[1] = (d[1] + w / 2) % w - w / 2
    return out


# ---------------------------------------------------------------- random warps

def smooth_random_field(rng, size, sigma, points):
    """A random smooth displacement (2, size, size) in pixels: independent
    N(0, sigma^2) displacements on a periodic points x points control grid,
    interpolated to the image by periodic cubic spline (scipy.ndimage.zoom,
    mode='grid-wrap').  Our own periodic variant of elasticdeform's
    deform_random_grid, which ICON uses to build its retina set."""
    from scipy import ndimage

    control = rng.standard_normal((2, points, points)) * sigma
    field = np.stack([
        ndimage.zoom(control[c], size / points, order=3, mode="grid-wrap",
                     grid_mode=True)
        for c in range(2)
    ])
    assert field.shape == (2, size, size), field.shape
    return field


def icon_style_warp(rng, size, reference_size=565):
    """ICON's retina warp, scaled: sigma 25 on a 3-point grid, then sigma 12 on
    a 6-point grid, sigmas in pixels of a reference_size-wide image (DRIVE
    retina images are 565 px wide) multiplied by size / reference_size.
    Applying deformation a1 and then a2 (as elasticdeform does, image
    I -> I o (id+a1) -> (I o (id+a1)) o (id+a2)) gives the single displacement
    a2 + a1 o (id + a2)."""
    scale = size / reference_size
    a1 = smooth_random_field(rng, size, 25.0 * scale, 3)
    a2 = smooth_random_field(rng, size, 12.0 * scale, 6)
    return compose(a1, a2)


# ---------------------------------------------------------------- metrics

def dice(a, b):
    a = a.astype(bool)
    b = b.astype(bool)
    denom = a.sum() + b.sum()
    if denom == 0:
        return 1.0
    return float(2.0 * np.logical_and(a, b).sum() / denom)


def warped_mask(mask, u):
    return warp(mask.astype(np.float64), u) > 0.5


def end_point_error(u, u_true):
    d = wrap_displacement(u - u_true, u.shape[1:])
    return float(np.mean(np.sqrt(d[0] ** 2 + d[1] ** 2)))


def jacobian_determinant(u):
    """det of the Jacobian of x + u(x), central differences, periodic."""
    def d(field, axis):
        return (np.roll(field, -1, axis=axis) - np.roll(field, 1, axis=axis)) / 2.0
    j00 = 1.0 + d(u[0], 0)
    j01 = d(u[0], 1)
    j10 = d(u[1], 0)
    j11 = 1.0 + d(u[1], 1)
    return j00 * j11 - j01 * j10


def fold_fraction(u):
    return float(np.mean(jacobian_determinant(u) < 0))


def fold_fraction_interior(u):
    """Secondary, for fields that are not periodic (the peers'): the fraction of
    interior pixels (not on the outermost ring) with det < 0, central
    differences without wrapping."""
    j00 = 1.0 + (u[0][2:, 1:-1] - u[0][:-2, 1:-1]) / 2.0
    j01 = (u[0][1:-1, 2:] - u[0][1:-1, :-2]) / 2.0
    j10 = (u[1][2:, 1:-1] - u[1][:-2, 1:-1]) / 2.0
    j11 = 1.0 + (u[1][1:-1, 2:] - u[1][1:-1, :-2]) / 2.0
    return float(np.mean(j00 * j11 - j01 * j10 < 0))


def inverse_consistency(u_ab, u_ba):
    """mean ||Phi_AB(Phi_BA(x)) - x|| in px, periodic sampling:
    Phi_AB(Phi_BA(x)) - x = u_BA(x) + u_AB(x + u_BA(x))."""
    residual = compose(u_ab, u_ba)
    residual = wrap_displacement(residual, u_ab.shape[1:])
    return float(np.mean(np.sqrt(residual[0] ** 2 + residual[1] ** 2)))


def inverse_consistency_clamped(u_ab, u_ba):
    """Secondary, for maps that leave the image (the peers'): the same residual
    with u_AB sampled with clamped coordinates, as icon_registration composes
    its transforms, and no wrapping."""
    h, w = u_ab.shape[1:]
    rows, cols = identity_grid(h, w)
    residual = u_ba + sample_clamped(u_ab, rows + u_ba[0], cols + u_ba[1])
    return float(np.mean(np.sqrt(residual[0] ** 2 + residual[1] ** 2)))


# ---------------------------------------------------------------- data

def load_pairs(set_dir):
    """The held-out pairs of a set, with absolute paths."""
    path = os.path.join(set_dir, "test", "pairs.json")
    base = os.path.dirname(path)
    with open(path) as f:
        pairs = json.load(f)
    out = []
    for p in pairs:
        out.append({k: (os.path.join(base, v) if isinstance(v, str) and v.endswith(".npy") else v)
                    for k, v in p.items()})
    return out


def list_train_groups(set_dir):
    """Training images grouped as CONVENTIONS.md says: one group per
    sub-folder of train/ if there are sub-folders, else one group."""
    train = os.path.join(set_dir, "train")
    subdirs = sorted(d for d in os.listdir(train) if os.path.isdir(os.path.join(train, d)))
    if subdirs:
        groups = []
        for d in subdirs:
            folder = os.path.join(train, d)
            groups.append(sorted(os.path.join(folder, f) for f in os.listdir(folder) if f.endswith(".npy")))
        return groups
    return [sorted(os.path.join(train, f) for f in os.listdir(train) if f.endswith(".npy"))]


def save_npy(path, array):
    np.save(path, np.ascontiguousarray(array, dtype="<f4"))
