"""icon-registration's GradICON and ConstrICON, built for 2-D images, and the
conversion of their transforms to CONVENTIONS.md's pixel displacement.

icon_registration's convention (network_wrappers.RegistrationModule):
net(image_A, image_B) returns phi_AB with image_A(phi_AB(x)) ~ image_B(x),
coordinates in [0, 1] with pixel i at i / (N - 1) (identity_map, spacing
1/(N-1)), channel 0 = axis 0 (row).  So icon's image_A is our moving image,
icon's image_B our fixed image, and u_pixels[c] = (phi(id)[c] - id[c]) * (N_c - 1).
check_conventions.py verifies this on a known integer translation.
"""

import os

# Before torch loads OpenMP: on a shared, oversubscribed machine, OpenMP threads
# that spin while waiting make 2-thread torch many times slower than with
# passive waiting (README.md, "OpenMP"; results/omp-wait/).
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import sys
import types

import numpy as np
import torch

import icon_registration as icon


def _import_constricon():
    """icon_registration.constricon does `import torchvision` but uses nothing
    from it.  The torchvision 0.28.0 wheel on PyPI is built against CUDA torch;
    with torch 2.13.0+cpu its compiled ops cannot load and `import torchvision`
    raises.  Only then, stand in an empty module so that constricon imports."""
    try:
        import torchvision  # noqa: F401
        torchvision_status = "imported"
    except Exception as error:  # RuntimeError: operator torchvision::nms does not exist
        for key in [k for k in sys.modules if k == "torchvision" or k.startswith("torchvision.")]:
            del sys.modules[key]
        sys.modules["torchvision"] = types.ModuleType("torchvision")
        torchvision_status = f"placeholder module (import failed: {type(error).__name__}: {error})"
    import icon_registration.constricon as module
    return module, torchvision_status


constricon, TORCHVISION_STATUS = _import_constricon()
import icon_registration.networks as networks

# Hyper-parameters per (peer, similarity).  Triangles use SSD (ICON's own 2-D
# triangles examples), real images LNCC with a 4 px Gaussian window.
SETTINGS = {
    ("gradicon", "ssd"): {"lmbda": 0.2},
    ("gradicon", "lncc"): {"lmbda": 1.5},
    ("constricon", "ssd"): {"lmbda": 1.0},
    ("constricon", "lncc"): {"lmbda": 5.0},
}


class MultiResolutionVelocityDiffusion(icon.losses.BendingEnergyNet):
    """ConstrICON's diffusion regulariser (constricon.VelocityFieldDiffusion:
    mean squared neighbour difference of every velocity field, times the grid
    size squared) evaluated at each velocity field's own resolution, so that a
    half-resolution step (DownsampleRegistration) can be regularised too
    (VelocityFieldDiffusion adds the full-resolution identity map and fails)."""

    def compute_bending_energy_loss(self, phi_AB_vectorfield):
        total = 0.0
        for v in constricon.find_velocity_fields(self.phi_AB):
            d0 = v[:, :, 1:] - v[:, :, :-1]
            d1 = v[:, :, :, 1:] - v[:, :, :, :-1]
            total = total + (torch.mean(d0 ** 2) + torch.mean(d1 ** 2)) * v.shape[2] ** 2
        return total


def similarity(name):
    if name == "ssd":
        return icon.SSD()
    if name == "lncc":
        return icon.LNCC(sigma=4)
    raise ValueError(name)


def build(peer, sim, size, lmbda=None, batch=1):
    """The training wrapper (a loss module whose .regis_net maps (A, B) to phi_AB);
    its identity map has the batch size used (training batch, or 1 to evaluate)."""
    if lmbda is None:
        lmbda = SETTINGS[(peer, sim)]["lmbda"]
    if peer == "gradicon":
        # Two scales (half, then full resolution), as GradICON's multi-step
        # network, each a U-Net predicting a displacement field.
        inner = icon.TwoStepRegistration(
            icon.DownsampleRegistration(
                icon.FunctionFromVectorField(networks.tallUNet2(dimension=2)), dimension=2),
            icon.FunctionFromVectorField(networks.tallUNet2(dimension=2)),
        )
        net = icon.GradientICON(inner, similarity(sim), lmbda)
    elif peer == "constricon":
        # ConstrICON's 2-D analogue of its published 3-D model: an inverse-
        # consistent affine step, then two inverse-consistent stationary
        # velocity field steps (half and full resolution), each composed
        # symmetrically (TwoStepInverseConsistent), diffusion-regularised
        # (MultiResolutionVelocityDiffusion).
        inner = constricon.FirstTransform(
            constricon.TwoStepInverseConsistent(
                constricon.ConsistentFromMatrix(networks.ConvolutionalMatrixNet(dimension=2)),
                constricon.TwoStepInverseConsistent(
                    icon.DownsampleRegistration(
                        constricon.ICONSquaringVelocityField(networks.tallUNet2(dimension=2)), dimension=2),
                    constricon.ICONSquaringVelocityField(networks.tallUNet2(dimension=2)),
                ),
            )
        )
        net = MultiResolutionVelocityDiffusion(inner, similarity(sim), lmbda)
    else:
        raise ValueError(peer)
    net.assign_identity_map([batch, 1, size, size])
    return net


def to_tensor(images):
    return torch.from_numpy(np.stack(images).astype(np.float32))[:, None]


def displacement(net, fixed, moving):
    """CONVENTIONS.md displacement (2, H, W) in pixels for one pair, in eval mode."""
    h, w = fixed.shape
    with torch.no_grad():
        phi = net.regis_net(to_tensor([moving]), to_tensor([fixed]))
        identity = net.identity_map
        mapped = phi(identity)
        u = (mapped - identity)[0].numpy().astype(np.float64)
    u[0] *= h - 1
    u[1] *= w - 1
    return u


def native_inverse_consistency(net, fixed, moving):
    """mean ||phi_AB(phi_BA(x)) - x|| in px as icon_registration composes its own
    transforms (as functions of coordinates, clamped image sampling, no grid
    resampling of the outer map): a peer-only reference for evaluate.py's ic."""
    h, w = fixed.shape
    with torch.no_grad():
        phi_ab = net.regis_net(to_tensor([moving]), to_tensor([fixed]))
        phi_ba = net.regis_net(to_tensor([fixed]), to_tensor([moving]))
        identity = net.identity_map
        residual = (phi_ab(phi_ba(identity)) - identity)[0].numpy().astype(np.float64)
    residual[0] *= h - 1
    residual[1] *= w - 1
    return float(np.mean(np.sqrt(residual[0] ** 2 + residual[1] ** 2)))


def load(path):
    state = torch.load(path, map_location="cpu", weights_only=False)
    net = build(state["peer"], state["similarity"], state["size"], state["lmbda"])
    net.regis_net.load_state_dict(state["regis_net"])
    net.eval()
    return net, state
