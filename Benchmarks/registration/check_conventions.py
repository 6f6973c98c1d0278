"""Checks the field convention on a pair with a known integer translation, for
the numpy metrics and for the conversion of icon_registration's transforms.

    python check_conventions.py [--set data/triangles-64] [--weights weights/X.pt ...]

fixed = np.roll(moving, (-dy, -dx)), i.e. fixed(x) = moving(x + d), so the
true displacement is u = d = (dy, dx) everywhere (channel 0 = row).

1. regcommon: warp(moving, d) == fixed exactly; EPE(d) = 0; folds = 0;
   inverse consistency of (d, -d) = 0.
2. icon_registration: a RegistrationModule returning the translation d in
   icon coordinates (d / (N - 1)) warps icon's image_A onto image_B when
   image_A is our moving image (checked with icon's own sampler, away from the
   border, where icon clamps instead of wrapping), and peers.displacement
   turns it into u = d exactly.
3. With --weights: a trained peer on the translated pair: the mean of u over
   the fixed mask should be close to d (a loose check of sign and axis order).
Exits 1 if check 1 or 2 fails.
"""

import os

# Before torch loads OpenMP: on a shared, oversubscribed machine, OpenMP threads
# that spin while waiting make 2-thread torch many times slower than with
# passive waiting (README.md, "OpenMP"; results/omp-wait/).
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import argparse
import sys

import numpy as np

import regcommon as rc

HERE = os.path.dirname(os.path.abspath(__file__))
D = (3, -5)  # (rows, columns), deliberately different in sign and size


def translated_pair(moving):
    fixed = np.roll(moving, (-D[0], -D[1]), axis=(0, 1))
    u = np.zeros((2,) + moving.shape)
    u[0] = D[0]
    u[1] = D[1]
    return fixed, u


def check_numpy(moving):
    fixed, u = translated_pair(moving)
    ok = True
    err = np.abs(rc.warp(moving, u) - fixed).max()
    print(f"[1] max |warp(moving, d) - fixed| = {err:.2e}")
    ok &= err < 1e-6
    print(f"[1] EPE(d, d) = {rc.end_point_error(u, u):.2e}, folds = {rc.fold_fraction(u)}, "
          f"IC(d, -d) = {rc.inverse_consistency(u, -u):.2e}")
    ok &= rc.end_point_error(u, u) == 0 and rc.fold_fraction(u) == 0 and rc.inverse_consistency(u, -u) < 1e-9
    wrong = u[::-1].copy()
    print(f"[1] EPE with the channels swapped = {rc.end_point_error(wrong, u):.3f} (must be > 0)")
    ok &= rc.end_point_error(wrong, u) > 1
    return ok


def check_icon(moving):
    import torch
    import icon_registration as icon
    import peers

    n = moving.shape[0]
    fixed, u_true = translated_pair(moving)

    class Translation(icon.RegistrationModule):
        def forward(self, image_A, image_B):
            shift = torch.tensor([D[0], D[1]], dtype=torch.float32).view(1, 2, 1, 1) / (n - 1)
            return lambda coordinates: coordinates + shift

    class Wrapper(icon.RegistrationModule):
        def __init__(self):
            super().__init__()
            self.regis_net = Translation()

    net = Wrapper()
    net.assign_identity_map([1, 1, n, n])
    ok = True
    with torch.no_grad():
        a = peers.to_tensor([moving])
        phi = net.regis_net(a, peers.to_tensor([fixed]))
        warped_a = net.as_function(a)(phi(net.identity_map))[0, 0].numpy()
    inner = (slice(8, n - 8), slice(8, n - 8))
    err = np.abs(warped_a[inner] - fixed[inner]).max()
    print(f"[2] icon: image_A = moving warped by phi_AB vs image_B = fixed, interior max error {err:.2e}")
    ok &= err < 1e-4
    u = peers.displacement(net, fixed, moving)
    err = np.abs(u - u_true).max()
    print(f"[2] peers.displacement -> u = ({u[0].mean():.4f}, {u[1].mean():.4f}) px, expected {D}; max error {err:.2e}")
    ok &= err < 1e-4
    return ok


def check_trained(moving, mask, weights):
    import peers
    net, state = peers.load(weights)
    fixed, _ = translated_pair(moving)
    fixed_mask = np.roll(mask, (-D[0], -D[1]), axis=(0, 1)) > 0.5
    u = peers.displacement(net, fixed, moving)
    mean = (u[0][fixed_mask].mean(), u[1][fixed_mask].mean())
    print(f"[3] {os.path.basename(weights)}: mean u over the fixed mask = ({mean[0]:.2f}, {mean[1]:.2f}) px, "
          f"true {D}; DICE after warping {rc.dice(rc.warped_mask(mask, u), fixed_mask):.3f} "
          f"(identity {rc.dice(mask > 0.5, fixed_mask):.3f})")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--set", default=os.path.join(HERE, "data", "triangles-64"))
    parser.add_argument("--weights", nargs="*", default=[])
    args = parser.parse_args()
    pair = rc.load_pairs(args.set)[0]
    moving = np.load(pair["moving"]).astype(np.float64)
    mask = np.load(pair["moving_mask"]).astype(np.float64)
    ok = check_numpy(moving)
    ok &= check_icon(moving)
    for w in args.weights:
        check_trained(moving, mask, w)
    print("conventions OK" if ok else "conventions FAILED")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
