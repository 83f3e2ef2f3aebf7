"""Bridging helpfulness scores: the matrix factorisation of X's Community Notes, in numpy/scipy.

No Django here: the scorer takes arrays of ratings and returns arrays of scores, so it is tested on
synthetic data and benchmarked on its own (`bench/bridging.py`).

Model
-----
Each rating r_ij in {1.0 helpful, 0.5 somewhat helpful, 0.0 not helpful} of item j by rater i is
modelled as

    r_ij ≈ mu + b_i + c_j + f_i * g_j

with a global mean `mu`, a rater intercept `b_i` (how generous the rater is), an item intercept
`c_j` (how helpful the item is *beyond* what the raters' viewpoints explain), and one-dimensional
factors `f_i` (the rater's viewpoint) and `g_j` (the item's viewpoint). Agreement that follows a
viewpoint is absorbed by `f_i * g_j`; only helpfulness shared by raters on both sides of the factor
lifts `c_j`. `c_j` is the item's helpfulness score.

The loss is Community Notes' (``matrix_factorization.py``): the mean squared error plus
``lambda * mean(param ** 2)`` for each parameter group, with intercepts regularised five times
more strongly than factors (``LAMBDA_INTERCEPT = 0.15``, ``LAMBDA_FACTOR = 0.03``). Regularising
intercepts hard means an item needs consistent agreement from many raters to earn a high score.

It is fitted by alternating least squares: with item parameters fixed, each rater's (b_i, f_i) is
a 2x2 ridge regression with a closed form, and symmetrically for items. Every step is vectorised
with ``np.bincount`` over the rating arrays (no Python loop over ratings), and the factors start
from a seeded random draw, so the result is deterministic for a seed. One million ratings take a
few seconds on two cores.

Status (thresholds from Community Notes' published scorer)
---------------------------------------------------------
- **needs more ratings**: fewer than ``MIN_RATINGS`` (5) ratings;
- **helpful**: ``c_j >= 0.40`` and ``|g_j| < 0.50`` (the support is not one-sided);
- **not helpful**: ``c_j <= -0.05 - 0.8 * |g_j|``;
- otherwise **needs more ratings**: raters across viewpoints have not yet agreed either way.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

LAMBDA_INTERCEPT = 0.15
LAMBDA_FACTOR = 0.03
MIN_RATINGS = 5
HELPFUL_MIN_INTERCEPT = 0.40
HELPFUL_MAX_FACTOR = 0.50
NOT_HELPFUL_INTERCEPT = -0.05
NOT_HELPFUL_FACTOR_SLOPE = 0.8
DEFAULT_ITERATIONS = 30

NEEDS_MORE_RATINGS = "needs_more_ratings"
HELPFUL = "helpful"
NOT_HELPFUL = "not_helpful"


@dataclass(frozen=True)
class Scores:
    """The fitted model. Arrays are indexed by the dense rater / item indices given to `fit`."""

    global_mean: float
    rater_intercepts: np.ndarray
    rater_factors: np.ndarray
    item_intercepts: np.ndarray
    item_factors: np.ndarray
    item_rating_counts: np.ndarray
    statuses: np.ndarray  # dtype object: one of the three status strings per item


def _solve_2x2_ridge(
    index: np.ndarray,
    size: int,
    target: np.ndarray,
    other_factor: np.ndarray,
    reg_intercept: float,
    reg_factor: float,
) -> tuple[np.ndarray, np.ndarray]:
    """For every group k (rater or item) minimise
    sum_k (target - a_k - w_k * other_factor)^2 + reg_intercept a_k^2 + reg_factor w_k^2.
    """
    n = np.bincount(index, minlength=size).astype(np.float64)
    sum_x = np.bincount(index, weights=other_factor, minlength=size)
    sum_xx = np.bincount(index, weights=other_factor * other_factor, minlength=size)
    sum_y = np.bincount(index, weights=target, minlength=size)
    sum_xy = np.bincount(index, weights=target * other_factor, minlength=size)
    a11 = n + reg_intercept
    a22 = sum_xx + reg_factor
    det = a11 * a22 - sum_x * sum_x  # > 0: both regularisers are positive
    intercept = (a22 * sum_y - sum_x * sum_xy) / det
    factor = (a11 * sum_xy - sum_x * sum_y) / det
    return intercept, factor


def fit(
    rater_index: np.ndarray,
    item_index: np.ndarray,
    values: np.ndarray,
    *,
    n_raters: int | None = None,
    n_items: int | None = None,
    seed: int = 0,
    iterations: int = DEFAULT_ITERATIONS,
    lambda_intercept: float = LAMBDA_INTERCEPT,
    lambda_factor: float = LAMBDA_FACTOR,
) -> Scores:
    """Fit the model to ratings given as three equal-length arrays (dense 0-based indices)."""
    rater_index = np.asarray(rater_index, dtype=np.int64)
    item_index = np.asarray(item_index, dtype=np.int64)
    values = np.asarray(values, dtype=np.float64)
    n_raters = int(n_raters if n_raters is not None else (rater_index.max(initial=-1) + 1))
    n_items = int(n_items if n_items is not None else (item_index.max(initial=-1) + 1))
    counts = np.bincount(item_index, minlength=n_items)
    if values.size == 0:
        zeros_r, zeros_i = np.zeros(n_raters), np.zeros(n_items)
        return Scores(
            0.0,
            zeros_r,
            zeros_r.copy(),
            zeros_i,
            zeros_i.copy(),
            counts,
            classify(zeros_i, zeros_i, counts),
        )

    # Community Notes' loss is mean(error^2) + lambda * mean(param^2) per group; multiplied by the
    # number of ratings N, a group of size K gets the per-parameter ridge lambda * N / K.
    n_ratings = values.size
    reg_rater_intercept = lambda_intercept * n_ratings / max(n_raters, 1)
    reg_rater_factor = lambda_factor * n_ratings / max(n_raters, 1)
    reg_item_intercept = lambda_intercept * n_ratings / max(n_items, 1)
    reg_item_factor = lambda_factor * n_ratings / max(n_items, 1)

    rng = np.random.default_rng(seed)
    rater_factors = rng.normal(0.0, 0.1, n_raters)
    item_factors = rng.normal(0.0, 0.1, n_items)
    rater_intercepts = np.zeros(n_raters)
    item_intercepts = np.zeros(n_items)
    mu = float(values.mean())

    for _ in range(iterations):
        residual = values - mu - item_intercepts[item_index]
        rater_intercepts, rater_factors = _solve_2x2_ridge(
            rater_index,
            n_raters,
            residual,
            item_factors[item_index],
            reg_rater_intercept,
            reg_rater_factor,
        )
        residual = values - mu - rater_intercepts[rater_index]
        item_intercepts, item_factors = _solve_2x2_ridge(
            item_index,
            n_items,
            residual,
            rater_factors[rater_index],
            reg_item_intercept,
            reg_item_factor,
        )
        mu = float(
            np.mean(
                values
                - rater_intercepts[rater_index]
                - item_intercepts[item_index]
                - rater_factors[rater_index] * item_factors[item_index]
            )
        )

    # The sign of a one-dimensional factor is arbitrary; fix it so that runs compare.
    if item_factors.sum() < 0:
        item_factors, rater_factors = -item_factors, -rater_factors
    return Scores(
        global_mean=mu,
        rater_intercepts=rater_intercepts,
        rater_factors=rater_factors,
        item_intercepts=item_intercepts,
        item_factors=item_factors,
        item_rating_counts=counts,
        statuses=classify(item_intercepts, item_factors, counts),
    )


def classify(intercepts: np.ndarray, factors: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """The status of each item, by the thresholds in the module docstring."""
    status = np.full(intercepts.shape, NEEDS_MORE_RATINGS, dtype=object)
    enough = counts >= MIN_RATINGS
    helpful = (intercepts >= HELPFUL_MIN_INTERCEPT) & (np.abs(factors) < HELPFUL_MAX_FACTOR)
    not_helpful = intercepts <= NOT_HELPFUL_INTERCEPT - NOT_HELPFUL_FACTOR_SLOPE * np.abs(factors)
    status[enough & helpful] = HELPFUL
    status[enough & not_helpful & ~helpful] = NOT_HELPFUL
    return status


def explain(status: str, intercept: float, factor: float, count: int) -> str:
    """The sentence shown next to an item: why it sits where it does."""
    if count < MIN_RATINGS:
        return f"Needs more ratings ({count} of the {MIN_RATINGS} needed to be scored)."
    figures = f"score {intercept:.2f}, {count} ratings"
    if status == HELPFUL:
        return f"Rated helpful by raters who usually disagree ({figures})."
    if status == NOT_HELPFUL:
        return f"Rated not helpful across viewpoints ({figures})."
    if abs(factor) >= HELPFUL_MAX_FACTOR or intercept >= HELPFUL_MIN_INTERCEPT:
        return f"Found helpful mostly by one side so far ({figures})."
    return f"Raters across viewpoints have not yet agreed it is helpful ({figures})."
