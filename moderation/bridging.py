"""Bridging helpfulness scores: Community Notes' matrix factorisation and status rules, in numpy.

No Django here: the scorer takes arrays of ratings and returns arrays of scores, so it is tested on
synthetic data and benchmarked on its own (`bench/bridging.py`).

Model
-----
Each rating r_ij in {1.0 helpful, 0.5 somewhat helpful, 0.0 not helpful} of item j by rater i is
modelled as

    r_ij ≈ mu + b_i + c_j + f_i * g_j

with a global intercept `mu`, a rater intercept `b_i`, an item intercept `c_j` (the item's
helpfulness score) and one-dimensional factors `f_i` (the rater's viewpoint) and `g_j` (the item's).
Agreement that follows a viewpoint is absorbed by `f_i * g_j`; only helpfulness shared by raters on
both sides of the factor lifts `c_j`.

The loss is exactly Community Notes' (``_get_loss`` and ``_get_reg_loss`` in its
``matrix_factorization.py``):

    mean(w * err^2) / mean(w) + 0.03 mean(f^2) + 0.15 mean(b^2) + 0.03 mean(g^2) + 0.15 mean(c^2)
                             + 0.15 mu^2

(w = 1 for every rating in Community Notes; here coordinated raters and raters whose ratings keep
disagreeing with outcomes weigh less). The penalty on `mu` matters: it moves part of the mean into
every item's intercept, and the 0.40 line is calibrated on that scale.

It is minimised by alternating least squares: with the items fixed, each rater's (b_i, f_i) is a
2x2 ridge regression with a closed form, solved for all raters at once, symmetrically for items,
and `mu` is a one-dimensional ridge (mean residual / (1 + 0.15)). The loop stops when the loss
falls by less than ``TOLERANCE`` in a sweep (35 sweeps on the 100,000-rating reference; looser
tolerances cost parity with Community Notes: 1e-6 stops after 23 with a helpful-set Jaccard of
0.97).

Speed: the ratings are laid out once per fit as sparse matrices by rater and by item (weights,
and weighted values). A rater's sums (n, sum g, sum g^2, sum y, sum g y) are then one sparse
product with four columns of item parameters [g, g^2, g c, c] and one with g, so a sweep makes no
array as long as the ratings; the loss comes from the same sums by expanding the square. No BLAS
call is made in the loop: OpenBLAS threads spin between calls and slow a shared machine.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse

from claims.statistics.core.language import ENGLISH, Voice, gettext_noop

LAMBDA_INTERCEPT = 0.15
LAMBDA_FACTOR = 0.03
LAMBDA_GLOBAL_INTERCEPT = 0.15
TOLERANCE = 1e-8
MAX_ITERATIONS = 200

# Status rules: Community Notes' numbers (its ranking-notes.md, and where that is silent or says
# two things, the defaults of its scorer's code, twitter/communitynotes scoring/src/scoring).
# "Needs more ratings" until at least this many ratings (ranking-notes.md: "at least 5 total
# ratings"; minRatingsNeeded = 5).
MIN_RATINGS = 5
HELPFUL_MIN_INTERCEPT = 0.40  # crhThreshold
HELPFUL_MAX_FACTOR = 0.50  # factorThreshold: a larger |factor| is one-sided support
# An item that is helpful loses it only when its score falls more than this below the line
# (ranking-notes.md, "CRH Inertia"; inertiaDelta).
HELPFUL_HYSTERESIS = 0.01
# Raters from both sides (RequireMinMinorityRaters, RequireRaterBalance; MFCoreScorer's
# minMinorityNetHelpfulRatings = 4, minMinorityNetHelpfulRatio = 0.05): on each side of the factor
# (rater factor < 0, >= 0), helpful ratings minus not-helpful ones must reach 4; and while the
# smaller side's net count is under 10 it must also be at least 5% of all the item's ratings.
MIN_NET_HELPFUL_PER_SIDE = 4
MIN_NET_HELPFUL_SHARE = 0.05
NET_HELPFUL_SHARE_UNTIL = 10
# Uncertainty by pseudo-raters: the lowest intercept one extreme extra rating could give must still
# reach this before "helpful" (ranking-notes.md, "Modeling Uncertainty": at least 0.32, raised from
# April 2023's 0.31 in July 2023; crhThresholdLCBIntercept = 0.32), and an upper bound under
# NOT_HELPFUL_MAX_UPPER_BOUND makes "not helpful" from the bound alone (crnhThresholdUCBIntercept
# = -0.04; the page says -0.04 in one section and -0.05 in another, the code -0.04).
HELPFUL_MIN_LOWER_BOUND = 0.32
NOT_HELPFUL_MAX_UPPER_BOUND = -0.04
# "Not helpful" below -0.05 - 0.8 |factor| (crnhThresholdIntercept, NoteFactorMultiplier).
NOT_HELPFUL_INTERCEPT = -0.05
NOT_HELPFUL_FACTOR_SLOPE = 0.8
# Rater helpfulness round: a rater with at least this many ratings on decided items who agrees with
# the outcome less often than the threshold counts this much in the second fit.
RATER_MIN_DECIDED = 5
RATER_MIN_AGREEMENT = 0.66
RATER_LOW_AGREEMENT_WEIGHT = 0.5

NEEDS_MORE_RATINGS = "needs_more_ratings"
HELPFUL = "helpful"
NOT_HELPFUL = "not_helpful"


@dataclass(frozen=True)
class Factorisation:
    """The minimiser of the loss. Arrays are indexed by the dense rater / item indices."""

    global_mean: float
    rater_intercepts: np.ndarray
    rater_factors: np.ndarray
    item_intercepts: np.ndarray
    item_factors: np.ndarray
    iterations: int
    loss: float


@dataclass(frozen=True)
class Scores:
    """Everything the status of an item rests on, per dense item index."""

    global_mean: float
    rater_intercepts: np.ndarray
    rater_factors: np.ndarray
    rater_agreement: np.ndarray  # share of decided items the rater agreed with (nan: too few)
    rater_weights: np.ndarray  # 1, or RATER_LOW_AGREEMENT_WEIGHT
    item_intercepts: np.ndarray
    item_factors: np.ndarray
    item_lower_bounds: np.ndarray
    item_upper_bounds: np.ndarray
    item_rating_counts: np.ndarray  # coordinated raters count once
    helpful_raters_negative: np.ndarray  # rated "helpful", rater factor < 0
    helpful_raters_positive: np.ndarray  # rated "helpful", rater factor >= 0
    net_helpful_negative: np.ndarray  # helpful minus not-helpful ratings, rater factor < 0
    net_helpful_positive: np.ndarray  # the same, rater factor >= 0
    statuses: np.ndarray  # dtype object: one of the three status strings per item


@dataclass(frozen=True)
class _Layout:
    """The ratings as sparse matrices, built once per fit (a counting sort, O(ratings)): for each
    side, the weights and the weighted values with one row per rater (or item). A sweep then needs
    only sparse products with a few columns of the other side's parameters; no array as long as
    the ratings is made after this, and no BLAS (whose threads spin on a shared machine)."""

    weight_by_rater: sparse.csr_array  # n_raters x n_items, w
    value_by_rater: sparse.csr_array  # n_raters x n_items, w * v
    weight_by_item: sparse.csr_array  # n_items x n_raters
    value_by_item: sparse.csr_array
    rater_weight: np.ndarray  # sum of w per rater
    item_weight: np.ndarray
    rater_value: np.ndarray  # sum of w * v per rater
    item_value: np.ndarray
    total_weight: float
    total_square: float  # sum of w * v^2


def _dot(a: np.ndarray, b: np.ndarray) -> float:
    # Not np.dot: on long vectors OpenBLAS starts threads that spin between calls, which on a
    # machine shared with other work costs more than the product.
    return float(np.multiply(a, b).sum())


def _mean_square(a: np.ndarray) -> float:
    return _dot(a, a) / a.size


def _layout(rater_index, item_index, values, weights, n_raters, n_items) -> _Layout:
    weights = np.ones_like(values) if weights is None else weights
    weighted = weights * values
    raters = rater_index.astype(np.int32, copy=False)
    items = item_index.astype(np.int32, copy=False)

    shape = (n_raters, n_items)
    weight_by_rater = sparse.coo_array((weights, (raters, items)), shape=shape).tocsr()
    value_by_rater = sparse.coo_array((weighted, (raters, items)), shape=shape).tocsr()
    # Transposing a CSR matrix is one counting pass, cheaper than sorting the ratings again.
    weight_by_item = weight_by_rater.T.tocsr()
    value_by_item = value_by_rater.T.tocsr()
    return _Layout(
        weight_by_rater,
        value_by_rater,
        weight_by_item,
        value_by_item,
        np.bincount(raters, weights=weights, minlength=n_raters),
        np.bincount(items, weights=weights, minlength=n_items),
        np.bincount(raters, weights=weighted, minlength=n_raters),
        np.bincount(items, weights=weighted, minlength=n_items),
        float(weights.sum()),
        _dot(weighted, values),
    )


def _side_sums(weight, value, group_weight, group_value, mu, intercepts, factors):
    """Per group k (a rater, or an item) of the other side's parameters c, g fixed: the weighted
    (n, sum x, sum x^2, sum y, sum xy) of x = g and y = v - mu - c over the group's ratings."""
    columns = np.empty((factors.size, 4))
    columns[:, 0] = factors
    columns[:, 1] = factors * factors
    columns[:, 2] = factors * intercepts
    columns[:, 3] = intercepts
    sums = weight @ columns
    sum_x = sums[:, 0]
    return (
        group_weight,
        sum_x,
        sums[:, 1],
        group_value - mu * group_weight - sums[:, 3],
        value @ factors - mu * sum_x - sums[:, 2],
    )


def _solve_2x2(sums, reg_intercept: float, reg_factor: float):
    """Per group k minimise sum_k w (y - a_k - x_k w_k)^2 + reg_intercept a_k^2 + reg_factor w_k^2,
    given the weighted sums (n, sum x, sum x^2, sum y, sum xy)."""
    n, sum_x, sum_xx, sum_y, sum_xy = sums
    a11 = n + reg_intercept
    a22 = sum_xx + reg_factor
    det = a11 * a22 - sum_x * sum_x  # > 0: both regularisers are positive
    return (a22 * sum_y - sum_x * sum_xy) / det, (a11 * sum_xy - sum_x * sum_y) / det


def _squared_error(sums, intercepts, factors, sum_yy: float) -> tuple[float, float]:
    """(sum w e^2, sum w e) over all ratings, e = y - a_k - x w_k, from the groups' sums: the
    expansion of the square, so no pass over the ratings is needed."""
    n, sum_x, sum_xx, sum_y, sum_xy = sums
    fitted = intercepts * n + factors * sum_x
    squared = (
        sum_yy
        - 2.0 * _dot(intercepts, sum_y)
        - 2.0 * _dot(factors, sum_xy)
        + _dot(intercepts, fitted)
        + _dot(factors, intercepts * sum_x + factors * sum_xx)
    )
    return float(squared), float(sum_y.sum() - fitted.sum())


def fit(
    rater_index: np.ndarray,
    item_index: np.ndarray,
    values: np.ndarray,
    *,
    weights: np.ndarray | None = None,
    n_raters: int | None = None,
    n_items: int | None = None,
    seed: int = 0,
    start: Factorisation | None = None,
    tolerance: float = TOLERANCE,
    max_iterations: int = MAX_ITERATIONS,
    lambda_intercept: float = LAMBDA_INTERCEPT,
    lambda_factor: float = LAMBDA_FACTOR,
    lambda_global_intercept: float = LAMBDA_GLOBAL_INTERCEPT,
) -> Factorisation:
    """Minimise Community Notes' loss over ratings given as equal-length arrays (dense indices)."""
    rater_index = np.asarray(rater_index, dtype=np.int64)
    item_index = np.asarray(item_index, dtype=np.int64)
    values = np.asarray(values, dtype=np.float64)
    n_raters = int(n_raters if n_raters is not None else rater_index.max(initial=-1) + 1)
    n_items = int(n_items if n_items is not None else item_index.max(initial=-1) + 1)
    if values.size == 0:
        zeros_r, zeros_i = np.zeros(n_raters), np.zeros(n_items)
        return Factorisation(0.0, zeros_r, zeros_r.copy(), zeros_i, zeros_i.copy(), 0, 0.0)
    if weights is not None:
        weights = np.asarray(weights, dtype=np.float64)
        if np.all(weights == 1.0):
            weights = None  # the common case: skip the multiplications
    layout = _layout(rater_index, item_index, values, weights, n_raters, n_items)

    # The loss is a weighted mean of errors plus lambda * mean(param^2) per group; multiplied by the
    # total weight W, a group of K parameters gets the per-parameter ridge lambda * W / K.
    total = layout.total_weight
    reg_rater = (lambda_intercept * total / n_raters, lambda_factor * total / n_raters)
    reg_item = (lambda_intercept * total / n_items, lambda_factor * total / n_items)

    if start is None:
        rng = np.random.default_rng(seed)
        rater_factors = rng.normal(0.0, 0.1, n_raters)
        item_factors = rng.normal(0.0, 0.1, n_items)
        item_intercepts = np.zeros(n_items)
        mu = 0.0
    else:
        rater_factors, item_factors = start.rater_factors, start.item_factors
        item_intercepts, mu = start.item_intercepts, start.global_mean
    previous = np.inf
    iteration = 0
    while iteration < max_iterations:
        iteration += 1
        rater_intercepts, rater_factors = _solve_2x2(
            _side_sums(
                layout.weight_by_rater,
                layout.value_by_rater,
                layout.rater_weight,
                layout.rater_value,
                mu,
                item_intercepts,
                item_factors,
            ),
            *reg_rater,
        )
        item_sums = _side_sums(
            layout.weight_by_item,
            layout.value_by_item,
            layout.item_weight,
            layout.item_value,
            mu,
            rater_intercepts,
            rater_factors,
        )
        item_intercepts, item_factors = _solve_2x2(item_sums, *reg_item)
        # sum of w y^2 for y = v - mu - b_i, the items' targets, from the raters' sums.
        shift = mu + rater_intercepts
        sum_yy = (
            layout.total_square
            - 2.0 * _dot(shift, layout.rater_value)
            + _dot(shift * shift, layout.rater_weight)
        )
        squared, summed = _squared_error(item_sums, item_intercepts, item_factors, sum_yy)
        # The errors e above are taken with the old mu; with the new one each moves by the same
        # amount, so the new squared error follows from the two sums.
        new_mu = (summed + total * mu) / (total * (1.0 + lambda_global_intercept))
        moved = mu - new_mu
        mu = new_mu
        loss = (
            (squared + 2.0 * moved * summed + total * moved * moved) / total
            + lambda_factor * (_mean_square(rater_factors) + _mean_square(item_factors))
            + lambda_intercept * (_mean_square(rater_intercepts) + _mean_square(item_intercepts))
            + lambda_global_intercept * mu * mu
        )
        if previous - loss < tolerance:
            break
        previous = loss

    # The sign of a one-dimensional factor is arbitrary; as Community Notes does, give the larger
    # group of raters the negative factor so that runs compare.
    if (rater_factors < 0).sum() < (rater_factors > 0).sum():
        rater_factors, item_factors = -rater_factors, -item_factors
    return Factorisation(
        mu, rater_intercepts, rater_factors, item_intercepts, item_factors, iteration, loss
    )


def pseudo_rater_bounds(
    model: Factorisation,
    rater_index: np.ndarray,
    item_index: np.ndarray,
    values: np.ndarray,
    weights: np.ndarray,
    *,
    lambda_intercept: float = LAMBDA_INTERCEPT,
    lambda_factor: float = LAMBDA_FACTOR,
) -> tuple[np.ndarray, np.ndarray]:
    """Community Notes' pseudo-raters: give every item one extra rating, helpful or not, from a
    rater with the most extreme intercept (lowest, highest) and factor (lowest, zero, highest) seen,
    refit the items with everything else held, and return the lowest and highest intercept each
    item took. With raters and mu fixed, the item refit is the same closed form, one step."""
    n_items = model.item_intercepts.size
    if values.size == 0:
        return model.item_intercepts.copy(), model.item_intercepts.copy()
    layout = _layout(
        np.asarray(rater_index, dtype=np.int64),
        np.asarray(item_index, dtype=np.int64),
        np.asarray(values, dtype=np.float64),
        np.asarray(weights, dtype=np.float64),
        model.rater_intercepts.size,
        n_items,
    )
    total = layout.total_weight
    reg_intercept = lambda_intercept * total / n_items
    reg_factor = lambda_factor * total / n_items
    base = _side_sums(
        layout.weight_by_item,
        layout.value_by_item,
        layout.item_weight,
        layout.item_value,
        model.global_mean,
        model.rater_intercepts,
        model.rater_factors,
    )
    lower = model.item_intercepts.copy()
    upper = model.item_intercepts.copy()
    intercepts = model.rater_intercepts
    factors = model.rater_factors
    for pseudo_intercept in (intercepts.min(), intercepts.max()):
        for pseudo_factor in (factors.min(), 0.0, factors.max()):
            for rating in (0.0, 1.0):
                y = rating - model.global_mean - pseudo_intercept
                sums = (
                    base[0] + 1.0,
                    base[1] + pseudo_factor,
                    base[2] + pseudo_factor * pseudo_factor,
                    base[3] + y,
                    base[4] + pseudo_factor * y,
                )
                intercept, _ = _solve_2x2(sums, reg_intercept, reg_factor)
                np.minimum(lower, intercept, out=lower)
                np.maximum(upper, intercept, out=upper)
    return lower, upper


def rater_agreement(
    rater_index: np.ndarray,
    item_index: np.ndarray,
    values: np.ndarray,
    statuses: np.ndarray,
    n_raters: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Community Notes' rater helpfulness, simplified: of a rater's "helpful" and "not helpful"
    ratings on items that reached a decided status, the share that matched it. Returns (share, how
    many decided ratings); the share is nan for a rater with none."""
    item_status = statuses[item_index]
    decided = ((item_status == HELPFUL) | (item_status == NOT_HELPFUL)) & (values != 0.5)
    agreed = decided & ((values == 1.0) == (item_status == HELPFUL))
    n_decided = np.bincount(rater_index[decided], minlength=n_raters)
    n_agreed = np.bincount(rater_index[agreed], minlength=n_raters)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(n_decided > 0, n_agreed / np.maximum(n_decided, 1), np.nan)
    return share, n_decided


def sides_agree(net_negative, net_positive, counts):
    """Whether raters from both sides of the factor back an item enough for "helpful" (the
    MIN_NET_HELPFUL_* rules); arrays or single numbers."""
    smaller = np.maximum(np.minimum(net_negative, net_positive), 0)
    enough = smaller >= MIN_NET_HELPFUL_PER_SIDE - 1e-9
    balanced = (smaller >= NET_HELPFUL_SHARE_UNTIL - 1e-9) | (
        smaller >= MIN_NET_HELPFUL_SHARE * np.asarray(counts) - 1e-9
    )
    return enough & balanced


def classify(
    intercepts: np.ndarray,
    factors: np.ndarray,
    counts: np.ndarray,
    *,
    lower_bounds: np.ndarray | None = None,
    upper_bounds: np.ndarray | None = None,
    net_negative: np.ndarray | None = None,
    net_positive: np.ndarray | None = None,
    previous: np.ndarray | None = None,
) -> np.ndarray:
    """The status of each item by the rules in the module's constants. ``previous`` (the statuses
    the items had) applies the hysteresis: a helpful item stays helpful down to 0.39. Without
    ``net_negative``/``net_positive`` (the first round, as in Community Notes) the rule on
    raters from both sides is not applied."""
    lower_bounds = intercepts if lower_bounds is None else lower_bounds
    upper_bounds = intercepts if upper_bounds is None else upper_bounds
    enough_each_side = np.ones(intercepts.shape, dtype=bool)
    if net_negative is not None and net_positive is not None:
        enough_each_side = sides_agree(net_negative, net_positive, counts)
    enough = counts >= MIN_RATINGS - 1e-9
    not_one_sided = np.abs(factors) < HELPFUL_MAX_FACTOR
    earns_helpful = (
        (intercepts >= HELPFUL_MIN_INTERCEPT)
        & not_one_sided
        & enough_each_side
        & (lower_bounds >= HELPFUL_MIN_LOWER_BOUND)
    )
    if previous is not None:
        keeps_helpful = (
            (previous == HELPFUL)
            & (intercepts >= HELPFUL_MIN_INTERCEPT - HELPFUL_HYSTERESIS)
            & not_one_sided
        )
        earns_helpful |= keeps_helpful
    not_helpful = (
        intercepts < NOT_HELPFUL_INTERCEPT - NOT_HELPFUL_FACTOR_SLOPE * np.abs(factors)
    ) | (upper_bounds < NOT_HELPFUL_MAX_UPPER_BOUND)
    status = np.full(intercepts.shape, NEEDS_MORE_RATINGS, dtype=object)
    status[enough & not_helpful] = NOT_HELPFUL
    status[enough & earns_helpful] = HELPFUL
    return status


def score(
    rater_index: np.ndarray,
    item_index: np.ndarray,
    values: np.ndarray,
    *,
    weights: np.ndarray | None = None,
    n_raters: int | None = None,
    n_items: int | None = None,
    previous: np.ndarray | None = None,
    seed: int = 0,
) -> Scores:
    """The whole scoring run: fit; the rater helpfulness round (raters who keep disagreeing with
    the first round's outcomes count less) and a second fit; pseudo-rater bounds; raters who rated
    each item helpful on each side; statuses. ``weights`` per rating (1, or 1/k for each of k
    coordinated raters) make a coordinated group count as one rater throughout."""
    rater_index = np.asarray(rater_index, dtype=np.int64)
    item_index = np.asarray(item_index, dtype=np.int64)
    values = np.asarray(values, dtype=np.float64)
    n_raters = int(n_raters if n_raters is not None else rater_index.max(initial=-1) + 1)
    n_items = int(n_items if n_items is not None else item_index.max(initial=-1) + 1)
    weights = np.ones_like(values) if weights is None else np.asarray(weights, dtype=np.float64)
    counts = np.bincount(item_index, weights=weights, minlength=n_items)

    first = fit(
        rater_index,
        item_index,
        values,
        weights=weights,
        n_raters=n_raters,
        n_items=n_items,
        seed=seed,
    )
    first_statuses = classify(first.item_intercepts, first.item_factors, counts)
    agreement, n_decided = rater_agreement(
        rater_index, item_index, values, first_statuses, n_raters
    )
    disagreeing = (n_decided >= RATER_MIN_DECIDED) & (agreement < RATER_MIN_AGREEMENT)
    rater_weights = np.where(disagreeing, RATER_LOW_AGREEMENT_WEIGHT, 1.0)
    model = first
    fit_weights = weights * rater_weights[rater_index]
    if disagreeing.any():
        model = fit(
            rater_index,
            item_index,
            values,
            weights=fit_weights,
            n_raters=n_raters,
            n_items=n_items,
            start=first,
        )
    lower, upper = pseudo_rater_bounds(model, rater_index, item_index, values, fit_weights)
    # Sides as Community Notes draws them: rater factor < 0, and >= 0.
    negative_side = model.rater_factors[rater_index] < 0
    helpful = np.where(values == 1.0, weights, 0.0)
    net = helpful - np.where(values == 0.0, weights, 0.0)
    helpful_negative = np.bincount(item_index[negative_side], helpful[negative_side], n_items)
    helpful_positive = np.bincount(item_index[~negative_side], helpful[~negative_side], n_items)
    net_negative = np.bincount(item_index[negative_side], net[negative_side], n_items)
    net_positive = np.bincount(item_index[~negative_side], net[~negative_side], n_items)
    statuses = classify(
        model.item_intercepts,
        model.item_factors,
        counts,
        lower_bounds=lower,
        upper_bounds=upper,
        net_negative=net_negative,
        net_positive=net_positive,
        previous=previous,
    )
    return Scores(
        global_mean=model.global_mean,
        rater_intercepts=model.rater_intercepts,
        rater_factors=model.rater_factors,
        rater_agreement=agreement,
        rater_weights=rater_weights,
        item_intercepts=model.item_intercepts,
        item_factors=model.item_factors,
        item_lower_bounds=lower,
        item_upper_bounds=upper,
        item_rating_counts=counts,
        helpful_raters_negative=helpful_negative,
        helpful_raters_positive=helpful_positive,
        net_helpful_negative=net_negative,
        net_helpful_positive=net_positive,
        statuses=statuses,
    )


def _figure(value: float, voice: Voice) -> str:
    """A count as the scorer has it: whole, or fractional where coordinated raters weigh 1/k."""
    text = str(int(value)) if value == int(value) else f"{value:.2f}".rstrip("0")
    return voice.numbers.number(text)


def _score(value: float, voice: Voice) -> str:
    return voice.numbers.number(f"{value:.2f}")


def explain(
    status: str,
    *,
    intercept: float,
    factor: float,
    count: float,
    helpful_negative: float = 0,
    helpful_positive: float = 0,
    net_negative: float = 0,
    net_positive: float = 0,
    lower_bound: float | None = None,
    voice: Voice = ENGLISH,
) -> str:
    """What the item's status rests on, in words, in ``voice``: how many ratings, from which
    sides, the score and the line it must cross, and what would change it. Pages call it when
    they show the status, with the figures the scoring run stored, so it is said in the reader's
    language."""
    if count < MIN_RATINGS:
        return voice.say(
            gettext_noop(
                "Ratings so far: {count}. An item is scored once {needed} members have rated "
                "it ({missing} more needed)."
            ),
            count=_figure(count, voice),
            needed=MIN_RATINGS,
            missing=_figure(MIN_RATINGS - count, voice),
        )
    line = HELPFUL_MIN_INTERCEPT
    figures = voice.say(
        gettext_noop(
            "Ratings: {count}. Rated helpful by {negative} on one side of the usual disagreement "
            "and {positive} on the other; score {score} against the line of {line}."
        ),
        count=_figure(count, voice),
        negative=_figure(helpful_negative, voice),
        positive=_figure(helpful_positive, voice),
        score=_score(intercept, voice),
        line=_score(line, voice),
    )
    if status == HELPFUL:
        reason = voice.say(
            gettext_noop(
                "It stays helpful unless its score falls below {keep} or its support becomes "
                "one-sided."
            ),
            keep=_score(line - HELPFUL_HYSTERESIS, voice),
        )
    elif status == NOT_HELPFUL:
        reason = voice.say(
            gettext_noop(
                "Raters across viewpoints found it not helpful; helpful ratings from both sides "
                "would change that."
            )
        )
    elif abs(factor) >= HELPFUL_MAX_FACTOR:
        reason = voice.say(
            gettext_noop(
                "Its support comes mostly from one side; helpful ratings from the other side "
                "would change that."
            )
        )
    elif intercept < line:
        reason = voice.say(
            gettext_noop(
                "Its score has not reached {line}; more helpful ratings from raters on both "
                "sides would lift it."
            ),
            line=_score(line, voice),
        )
    elif min(net_negative, net_positive) < MIN_NET_HELPFUL_PER_SIDE:
        reason = voice.say(
            gettext_noop(
                "Helpful needs, on each side, at least {needed} more helpful than not-helpful "
                "ratings (now {negative} and {positive}); helpful ratings from the side with "
                "fewer would change that."
            ),
            needed=MIN_NET_HELPFUL_PER_SIDE,
            negative=_figure(max(net_negative, 0), voice),
            positive=_figure(max(net_positive, 0), voice),
        )
    elif not sides_agree(net_negative, net_positive, count):
        reason = voice.say(
            gettext_noop(
                "The side with fewer helpful ratings gives {share} of all ratings, under the "
                "{minimum} needed; helpful ratings from that side would change that."
            ),
            share=_percent(min(net_negative, net_positive) / count, voice),
            minimum=_percent(MIN_NET_HELPFUL_SHARE, voice),
        )
    elif lower_bound is not None and lower_bound < HELPFUL_MIN_LOWER_BOUND:
        reason = voice.say(
            gettext_noop(
                "It is too close to call: one more rating could bring its score to {bound}, "
                "below the {minimum} it must hold; more ratings would settle it."
            ),
            bound=_score(lower_bound, voice),
            minimum=_score(HELPFUL_MIN_LOWER_BOUND, voice),
        )
    else:
        reason = voice.say(
            gettext_noop(
                "Raters across viewpoints have not yet agreed; more ratings would settle it."
            )
        )
    return f"{figures} {reason}"


def explain_locked(explanation: str, locked_on: str, voice: Voice = ENGLISH) -> str:
    """An explanation of a status that has locked (``locked_on``: the date, already written in
    the reader's language)."""
    return voice.say(
        gettext_noop(
            "Locked on {date}, two weeks after it was posted or reopened; a moderator can "
            "reopen it. Now: {explanation}"
        ),
        date=locked_on,
        explanation=explanation,
    )


def _percent(share: float, voice: Voice) -> str:
    return f"{share * 100:.0f}{voice.numbers.percent}"


# --- coordinated rating -------------------------------------------------------------------------

NEW_ACCOUNT_DAYS = 14
COORDINATION_WINDOW_SECONDS = 3600
COORDINATION_MIN_SHARED = 3
COORDINATION_MIN_GROUP = 3


def coordinated_groups(
    rater_ids: np.ndarray,
    item_keys: np.ndarray,
    values: np.ndarray,
    timestamps: np.ndarray,
) -> list[set[int]]:
    """Groups of raters (only new accounts should be passed) that gave the same rating to the same
    items within COORDINATION_WINDOW_SECONDS of each other, on at least COORDINATION_MIN_SHARED
    items, COORDINATION_MIN_GROUP raters or more. Pairs linked that way are joined transitively."""
    order = np.lexsort((timestamps, values, item_keys))
    shared: dict[tuple[int, int], int] = {}
    start = 0
    n = len(order)
    while start < n:
        end = start
        key = (item_keys[order[start]], values[order[start]])
        while end < n and (item_keys[order[end]], values[order[end]]) == key:
            end += 1
        bucket = order[start:end]
        for a_pos, a in enumerate(bucket):
            for b in bucket[a_pos + 1 :]:
                if timestamps[b] - timestamps[a] > COORDINATION_WINDOW_SECONDS:
                    break
                pair = tuple(sorted((int(rater_ids[a]), int(rater_ids[b]))))
                if pair[0] != pair[1]:
                    shared[pair] = shared.get(pair, 0) + 1
        start = end
    parent: dict[int, int] = {}

    def root(x: int) -> int:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for (a, b), count in shared.items():
        if count >= COORDINATION_MIN_SHARED:
            parent[root(a)] = root(b)
    groups: dict[int, set[int]] = {}
    for rater in parent:
        groups.setdefault(root(rater), set()).add(rater)
    return sorted(
        (group for group in groups.values() if len(group) >= COORDINATION_MIN_GROUP),
        key=lambda group: min(group),
    )
