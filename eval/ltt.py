"""Learn-then-Test (Angelopoulos, Bates, Candès, Jordan & Lei, 2021) for the number of contexts k.

For each candidate k the null hypothesis is H_k: risk(k) > alpha, tested with the Hoeffding-Bentkus
p-value of the binary loss (MAPIE's `compute_hoeffding_bentkus_p_value`, binary=True). Rejecting H_k
under family-wise error control at level delta (MAPIE's `control_fwer`) makes k *accepted*: with
probability at least 1 - delta over the calibration draw, every accepted k has risk <= alpha, so any
choice among them does too. We choose the accepted k with the lowest empirical risk (ties: smaller k).

Family-wise error control:
- `fixed_sequence` (default): test in a fixed order and stop at the first k not rejected, each test at
  level delta. The order must not be learned from the data tested: either a-priori (descending k, k_max
  first: right when more context never raises the risk) or learned on a separate part of the calibration
  data (`order_by_risk`, "split fixed sequence"), which suits a risk curve that rises again at large k.
- `bonferroni`: each k at level delta / K, no order needed.
- `bonferroni_holm`: Holm's step-down, uniformly more powerful than Bonferroni.

Pure functions over numpy arrays; no pipeline imports.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

FwerMethod = Literal["fixed_sequence", "bonferroni", "bonferroni_holm"]
FWER_METHODS: tuple[str, ...] = ("fixed_sequence", "bonferroni", "bonferroni_holm")
ORDERS: tuple[str, ...] = ("descending", "ascending")


def _check_level(name: str, value: float) -> None:
    if not 0 < value < 1:
        raise ValueError(f"{name} must lie strictly between 0 and 1, got {value}")


def _exact_rate(count: int, n: int) -> float:
    """count / n as a float r with ceil(n * r) == count.

    MAPIE's Bentkus term evaluates binom.cdf(ceil(n * r_hat), n, alpha); in floating point n * (c / n) can
    exceed c by one ulp (e.g. 25 * (7 / 25) = 7.000000000000001), which would count one loss too many.
    Stepping r down by ulps until n * r <= c removes that without changing the Hoeffding term measurably."""
    r = count / n
    while count > 0 and n * r > count:
        r = float(np.nextafter(r, 0.0))
    return r


def hb_p_values(loss_counts: Sequence[int] | np.ndarray, n: int, alpha: float) -> np.ndarray:
    """Hoeffding-Bentkus p-values of H_k: risk(k) > alpha, one per k, from the number of losses (0/1) among
    n calibration items. With n = 0 nothing can be rejected: every p-value is 1."""
    from mapie.risk_control.methods import compute_hoeffding_bentkus_p_value

    _check_level("alpha", alpha)
    counts = np.asarray(loss_counts, dtype=int)
    if counts.ndim != 1:
        raise ValueError("loss_counts must be one count per k")
    if n < 0 or (counts < 0).any() or (counts > n).any():
        raise ValueError("each loss count must lie in [0, n]")
    if n == 0 or counts.size == 0:
        return np.ones(counts.size)
    r_hat = np.array([_exact_rate(int(c), n) for c in counts], dtype=float)
    p = compute_hoeffding_bentkus_p_value(r_hat, int(n), float(alpha), binary=True)
    out: np.ndarray = np.clip(np.asarray(p, dtype=float).reshape(len(counts), -1)[:, 0], 0.0, 1.0)
    return out


def sequence_order(ks: Sequence[int], order: str | Sequence[int] = "descending") -> list[int]:
    if isinstance(order, str):
        if order not in ORDERS:
            raise ValueError(f"order must be one of {', '.join(ORDERS)} or a list of ks, got {order!r}")
        return sorted(ks, reverse=order == "descending")
    seq = [int(k) for k in order]
    if sorted(seq) != sorted(ks):
        raise ValueError("an explicit order must list every candidate k exactly once")
    return seq


def order_by_risk(losses: np.ndarray | Sequence[Sequence[int]], ks: Sequence[int]) -> list[int]:
    """Split fixed-sequence testing: the testing order learned on a separate part of the calibration data,
    lowest empirical risk first (ties: smaller k). For a risk curve that is not monotone in k, as when a
    reader is distracted by many contexts, this keeps the power a fixed a-priori order would lose."""
    arr = np.asarray(losses, dtype=float).reshape(-1, len(ks))
    risk = arr.mean(axis=0) if len(arr) else np.zeros(len(ks))
    return [int(k) for _, k in sorted(zip(risk.tolist(), ks, strict=True), key=lambda rk: (rk[0], rk[1]))]


def accepted_ks(
    ks: Sequence[int],
    p_values: Sequence[float] | np.ndarray,
    delta: float,
    method: str = "fixed_sequence",
    order: str | Sequence[int] = "descending",
) -> list[int]:
    """The ks whose null (risk > alpha) is rejected under FWER control at level delta (MAPIE control_fwer)."""
    from mapie.risk_control import control_fwer

    _check_level("delta", delta)
    if method not in FWER_METHODS:
        raise ValueError(f"FWER method must be one of {', '.join(FWER_METHODS)}, got {method!r}")
    ks = [int(k) for k in ks]
    if len(ks) != len(p_values) or not ks:
        raise ValueError("one p-value per candidate k is required")
    by_k = dict(zip(ks, (float(p) for p in p_values), strict=True))
    seq = sequence_order(ks, order) if method == "fixed_sequence" else sorted(ks)
    rejected = control_fwer(np.array([by_k[k] for k in seq]), delta, method)
    return sorted(seq[int(i)] for i in np.asarray(rejected).ravel())


def choose_k(ks: Sequence[int], risks: Sequence[float], accepted: Sequence[int]) -> int | None:
    """Among accepted ks, the lowest empirical risk; ties go to the smaller k. None when none is accepted."""
    risk = dict(zip((int(k) for k in ks), (float(r) for r in risks), strict=True))
    pool = [k for k in accepted if k in risk]
    return min(pool, key=lambda k: (risk[k], k)) if pool else None


@dataclass
class LTTResult:
    ks: list[int]
    n: int  # independent units tested: items, or groups of items (see learn_then_test)
    loss_counts: list[float]  # summed loss per k over the units
    risks: list[float]
    p_values: list[float]
    accepted: list[int]
    chosen_k: int | None
    alpha: float
    delta: float
    method: str
    order: list[int] = field(default_factory=list)
    binary: bool = True  # Bentkus' binary bound (0/1 unit losses); False: bounded losses in [0, 1]
    n_items: int = 0

    @property
    def guarantee(self) -> bool:
        return self.chosen_k is not None

    def per_k(self) -> list[dict[str, Any]]:
        acc = set(self.accepted)
        return [
            {"k": k, "losses": c, "risk": r, "p_value": p, "accepted": k in acc}
            for k, c, r, p in zip(self.ks, self.loss_counts, self.risks, self.p_values, strict=True)
        ]


def hb_p_values_bounded(risks: Sequence[float] | np.ndarray, n: int, alpha: float) -> np.ndarray:
    """Hoeffding-Bentkus p-values for losses bounded in [0, 1] (not only 0/1): MAPIE with binary=False."""
    from mapie.risk_control.methods import compute_hoeffding_bentkus_p_value

    _check_level("alpha", alpha)
    r = np.asarray(risks, dtype=float)
    if n == 0 or r.size == 0:
        return np.ones(r.size)
    if ((r < 0) | (r > 1)).any():
        raise ValueError("risks must lie in [0, 1]")
    p = compute_hoeffding_bentkus_p_value(r, int(n), float(alpha), binary=False)
    out: np.ndarray = np.clip(np.asarray(p, dtype=float).reshape(len(r), -1)[:, 0], 0.0, 1.0)
    return out


def group_means(losses: np.ndarray, groups: Sequence[str], how: str = "mean") -> np.ndarray:
    """One row per group: the mean (or worst, `how="max"`) loss of its items. Items that are not independent
    (variants of one question) must be tested as one unit, or n overstates the evidence."""
    if how not in ("mean", "max"):
        raise ValueError("how must be mean or max")
    if len(groups) != len(losses):
        raise ValueError("one group per item is required")
    index: dict[str, list[int]] = {}
    for i, g in enumerate(groups):
        index.setdefault(str(g), []).append(i)
    if not index:
        return np.zeros((0, losses.shape[1]))
    agg = np.max if how == "max" else np.mean
    return np.vstack([agg(losses[rows], axis=0) for rows in index.values()])


def learn_then_test(
    losses: np.ndarray | Sequence[Sequence[int]],
    ks: Sequence[int],
    alpha: float,
    delta: float,
    method: str = "fixed_sequence",
    order: str | Sequence[int] = "descending",
    groups: Sequence[str] | None = None,
    group_loss: str = "max",
) -> LTTResult:
    """losses: an (n items x len(ks)) array of 0/1 losses (item i read with the first ks[j] contexts).

    groups: the exchangeable unit of each item (e.g. the source question of several dialogue variants).
    The test then runs over groups. group_loss="max" (default): a group is lost when any of its items is;
    the loss stays 0/1 (the tighter binary test) and bounds the mean-over-items risk from above, so the
    guarantee carries over. "mean": the items' mean loss, tested with the bounded-loss p-value. Risk is
    then the mean over groups."""
    arr = np.asarray(losses, dtype=int)
    if arr.size == 0:
        arr = arr.reshape(0, len(ks))
    if arr.ndim != 2 or arr.shape[1] != len(ks):
        raise ValueError(f"losses must be (n, {len(ks)}), got shape {arr.shape}")
    if not np.isin(arr, (0, 1)).all():
        raise ValueError("losses must be 0 or 1")
    n_items = int(arr.shape[0])
    units = group_means(arr.astype(float), groups, group_loss) if groups is not None else arr.astype(float)
    n = int(units.shape[0])
    binary = bool(np.isin(units, (0.0, 1.0)).all())
    sums = units.sum(axis=0)
    risks = (sums / n).tolist() if n else [float("nan")] * len(ks)
    p = hb_p_values(np.rint(sums).astype(int), n, alpha) if binary else hb_p_values_bounded(sums / max(n, 1), n, alpha)
    accepted = accepted_ks(ks, p, delta, method, order)
    chosen = choose_k(ks, [r if n else 1.0 for r in risks], accepted)
    seq = sequence_order(ks, order) if method == "fixed_sequence" else sorted(int(k) for k in ks)
    return LTTResult([int(k) for k in ks], n, [float(x) for x in sums], [float(r) for r in risks],
                     [float(x) for x in p], accepted, chosen, alpha, delta, method, seq, binary, n_items)
