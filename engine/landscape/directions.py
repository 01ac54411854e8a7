"""The two directions spanning a landscape's plane: filter-normalized random (Li et al. 2018) or PCA of the path."""

from __future__ import annotations

import numpy as np

DIRECTIONS = ("random", "pca")


def filter_normalized(weights: list[np.ndarray], rng: np.random.Generator) -> np.ndarray:
    """A Gaussian direction with each filter scaled to its weights' norm, flattened as the model's params.

    Li, Xu, Taylor, Studer & Goldstein, "Visualizing the Loss Landscape of Neural Nets" (2018), §4:
    draw d ~ N(0, I) with the shape of θ, then for every filter (for a Dense kernel ``(in, out)``:
    every output unit j, the column of its incoming weights)

        d[:, j] ← d[:, j] · ‖θ[:, j]‖ / ‖d[:, j]‖

    so a step of 1 along d changes every unit by as much as its own weights' size, whatever the
    layer's scale. Biases (1-D arrays) get a zero direction: their ``ignore='biasbn'`` option,
    the one behind the paper's figures, which leaves the biases at the trained values.

    Args:
        weights: the model's arrays in Keras order (``get_weights()``): kernels ``(in, out)``, biases ``(out,)``.
    Returns:
        ``(P,)``, laid out as ``Sequential.params``.
    """
    parts = []
    for w in weights:
        d = rng.standard_normal(w.shape)
        if w.ndim <= 1:
            d = np.zeros_like(w)
        else:
            norms = np.linalg.norm(d, axis=0)
            d *= np.linalg.norm(w, axis=0) / np.where(norms > 0, norms, 1.0)
        parts.append(d.ravel())
    return np.concatenate(parts)


def principal(snapshots: np.ndarray, centre: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The first two principal directions of the trajectory around ``centre``.

    With M = the matrix of rows θ_e − centre (one per snapshot), M = U S Vᵀ: the directions are the
    first two rows of Vᵀ (unit vectors, orthogonal), the coordinates of snapshot e are its
    projections M Vᵀ[:2]ᵀ, and S² / ΣS² is the share of the path's variance each explains.

    Args:
        snapshots: ``(E, P)`` weights along training (e.g. one per epoch).
        centre: ``(P,)``.
    Returns:
        ``(d1 (P,), d2 (P,), explained (2,))``; a direction the path does not use is zeros.
    """
    m = snapshots - centre
    _, s, vt = np.linalg.svd(m, full_matrices=False)
    total = float(np.sum(s * s))
    d = np.zeros((2, m.shape[1]))
    explained = np.zeros(2)
    for i in range(min(2, len(s))):
        if s[i] > 0:
            d[i] = vt[i]
            explained[i] = s[i] * s[i] / total
    return d[0], d[1], explained


def project(points: np.ndarray, centre: np.ndarray, d1: np.ndarray, d2: np.ndarray) -> np.ndarray:
    """``(E, 2)`` coordinates (α, β) of each point's offset from ``centre`` in the plane of d1, d2:
    the least-squares solution of α d1 + β d2 ≈ θ − centre (for orthonormal d1, d2, plain dot products)."""
    basis = np.column_stack([d1, d2])
    used = np.linalg.norm(basis, axis=0) > 0
    coords = np.zeros((len(points), 2))
    if used.any():
        solution, *_ = np.linalg.lstsq(basis[:, used], (points - centre).T, rcond=None)
        coords[:, used] = solution.T
    return coords
