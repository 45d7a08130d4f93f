"""Learn-then-Test statistics: our wrapper of MAPIE against independent binomial tails, properties of the
p-values and of the choice, and the guarantee itself in simulation."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import binom

from eval.ltt import accepted_ks, choose_k, hb_p_values, learn_then_test, sequence_order


def independent_hb(count: int, n: int, alpha: float) -> float:
    """Hoeffding-Bentkus p-value for binary losses, written from the LTT paper with scipy's binomial tail:
    min(exp(-n KL(r || alpha)) if r < alpha else 1, P(Binomial(n, alpha) <= count))."""
    r = count / n
    if r < alpha:
        kl = (r * math.log(r / alpha) if r > 0 else 0.0) + (1 - r) * math.log((1 - r) / (1 - alpha))
        hoeffding = math.exp(-n * kl)
    else:
        hoeffding = 1.0
    return min(hoeffding, float(binom.cdf(count, n, alpha)))


@pytest.mark.parametrize(
    ("count", "n", "alpha"),
    [(0, 50, 0.1), (3, 100, 0.1), (18, 240, 0.1), (7, 25, 0.3), (14, 41, 0.5), (30, 100, 0.2), (100, 100, 0.1),
     (1, 1000, 0.01)],
)
def test_p_values_match_an_independent_computation(count: int, n: int, alpha: float) -> None:
    assert hb_p_values([count], n, alpha)[0] == pytest.approx(independent_hb(count, n, alpha), rel=1e-9, abs=1e-15)


def test_exact_loss_count_despite_floating_point() -> None:
    # 25 * (7 / 25) == 7.000000000000001: MAPIE's ceil(n * r_hat) would count 8 losses; we pass 7.
    assert 25 * (7 / 25) > 7
    assert hb_p_values([7], 25, 0.3)[0] == pytest.approx(binom.cdf(7, 25, 0.3), rel=1e-12)
    assert hb_p_values([7], 25, 0.3)[0] < binom.cdf(8, 25, 0.3)


@settings(max_examples=200, deadline=None)
@given(n=st.integers(1, 600), data=st.data(), alpha=st.floats(0.005, 0.995))
def test_p_values_lie_in_the_unit_interval_and_grow_with_losses(n: int, data: st.DataObject, alpha: float) -> None:
    counts = sorted(data.draw(st.lists(st.integers(0, n), min_size=1, max_size=8)))
    p = hb_p_values(counts, n, alpha)
    assert ((p >= 0) & (p <= 1)).all()
    assert (np.diff(p) >= -1e-12).all()  # more losses never make the null easier to reject


def test_no_items_rejects_nothing() -> None:
    assert hb_p_values([0, 0], 0, 0.1).tolist() == [1.0, 1.0]
    res = learn_then_test(np.zeros((0, 3), dtype=int), [1, 2, 3], 0.1, 0.1)
    assert res.accepted == [] and res.chosen_k is None


def test_bad_arguments_are_refused() -> None:
    with pytest.raises(ValueError):
        hb_p_values([3], 2, 0.1)
    with pytest.raises(ValueError):
        hb_p_values([1], 10, 1.0)
    with pytest.raises(ValueError):
        learn_then_test([[0, 2]], [1, 2], 0.1, 0.1)
    with pytest.raises(ValueError):
        accepted_ks([1, 2], [0.01, 0.01], 0.1, "holm-ish")


def test_fixed_sequence_stops_at_the_first_failure_in_its_order() -> None:
    ks = [1, 2, 3, 4]
    p = [0.001, 0.5, 0.001, 0.001]
    assert accepted_ks(ks, p, 0.1, "fixed_sequence", "descending") == [3, 4]  # 4, 3 pass; 2 fails: stop
    assert accepted_ks(ks, p, 0.1, "fixed_sequence", "ascending") == [1]
    assert accepted_ks(ks, p, 0.1, "bonferroni") == [1, 3, 4]  # each at 0.1 / 4
    assert accepted_ks(ks, [0.03, 0.5, 0.001, 0.001], 0.1, "bonferroni") == [3, 4]
    assert sequence_order(ks, [2, 1, 4, 3]) == [2, 1, 4, 3]


def test_choice_is_lowest_risk_then_smaller_k() -> None:
    assert choose_k([1, 2, 3, 4], [0.3, 0.05, 0.05, 0.06], [2, 3, 4]) == 2
    assert choose_k([1, 2, 3, 4], [0.3, 0.05, 0.04, 0.06], [2, 3, 4]) == 3
    assert choose_k([1, 2, 3], [0.3, 0.2, 0.1], []) is None


@st.composite
def monotone_losses(draw: st.DrawFn) -> tuple[np.ndarray, int]:
    """Items whose loss never returns once more context fixed it: each item is lost below its own k0."""
    k_max = draw(st.integers(1, 12))
    n = draw(st.integers(1, 300))
    fixed_at = draw(st.lists(st.integers(1, k_max + 1), min_size=n, max_size=n))
    ks = np.arange(1, k_max + 1)
    return (ks[None, :] < np.array(fixed_at)[:, None]).astype(int), k_max


@settings(max_examples=150, deadline=None)
@given(case=monotone_losses(), alpha=st.sampled_from([0.05, 0.1, 0.2]), delta=st.sampled_from([0.05, 0.1, 0.2]))
def test_monotone_data_gives_a_sensible_k(case: tuple[np.ndarray, int], alpha: float, delta: float) -> None:
    losses, k_max = case
    ks = list(range(1, k_max + 1))
    res = learn_then_test(losses, ks, alpha, delta)
    risks = losses.mean(axis=0)
    assert (np.diff(risks) <= 0).all()
    # descending fixed sequence: the accepted ks are an upper set {k0, ..., k_max}
    assert res.accepted == list(range(res.accepted[0], k_max + 1)) if res.accepted else True
    if res.chosen_k is not None:
        assert all(r <= alpha for k, r in zip(ks, risks, strict=True) if k in res.accepted)  # empirical, at least
        best = min(risks[k - 1] for k in res.accepted)
        assert risks[res.chosen_k - 1] == best
        assert res.chosen_k == min(k for k in res.accepted if risks[k - 1] == best)  # no larger k than needed
    # enough items with no loss from some k on: that k is found, and nothing larger is chosen
    zero_from = next((k for k in ks if risks[k - 1] == 0), None)
    if zero_from is not None and (1 - alpha) ** len(losses) <= delta:
        assert res.chosen_k == zero_from


@settings(max_examples=60, deadline=None)
@given(n=st.integers(1, 400), k_max=st.integers(1, 20), fwer=st.sampled_from(["fixed_sequence", "bonferroni"]))
def test_all_fail_accepts_nothing(n: int, k_max: int, fwer: str) -> None:
    res = learn_then_test(np.ones((n, k_max), dtype=int), list(range(1, k_max + 1)), 0.1, 0.1, fwer)
    assert res.accepted == [] and res.chosen_k is None and not res.guarantee
    assert all(p == 1.0 for p in res.p_values)


def _simulate(true_risk: list[float], n: int, alpha: float, delta: float, method: str, reps: int, seed: int
              ) -> tuple[float, float]:
    """Share of calibration draws whose chosen k has true risk > alpha, and share choosing any k. Losses are
    correlated across k as in real data: item i is lost at k when its difficulty u_i < true_risk[k]."""
    rng = np.random.default_rng(seed)
    risk = np.array(true_risk)
    ks = list(range(1, len(true_risk) + 1))
    bad = chosen = 0
    for _ in range(reps):
        u = rng.random(n)
        losses = (u[:, None] < risk[None, :]).astype(int)
        k = learn_then_test(losses, ks, alpha, delta, method).chosen_k
        chosen += k is not None
        bad += k is not None and risk[k - 1] > alpha
    return bad / reps, chosen / reps


@pytest.mark.parametrize("method", ["fixed_sequence", "bonferroni"])
@pytest.mark.parametrize(
    "true_risk",
    [
        [0.40, 0.25, 0.15, 0.11, 0.105, 0.102, 0.101, 0.12],  # every k just above alpha: any choice is an error
        [0.30, 0.16, 0.11, 0.09, 0.08, 0.075, 0.074, 0.074],  # the boundary crossed between k=3 and k=4
        [0.35, 0.20, 0.12, 0.101, 0.098, 0.104, 0.11, 0.13],  # U-shaped, barely below alpha at one k
    ],
)
def test_guarantee_holds_in_simulation(true_risk: list[float], method: str) -> None:
    alpha, delta, reps = 0.1, 0.1, 300
    bad, _ = _simulate(true_risk, 400, alpha, delta, method, reps, seed=7)
    # P(risk(chosen) > alpha) <= delta, up to three standard errors of the simulation
    assert bad <= delta + 3 * math.sqrt(delta * (1 - delta) / reps)


def test_simulation_has_power_when_risk_is_clearly_below_alpha() -> None:
    bad, chosen = _simulate([0.3, 0.12, 0.05, 0.03, 0.03, 0.04], 400, 0.1, 0.1, "fixed_sequence", 100, seed=3)
    assert bad == 0.0 and chosen >= 0.95


def test_variants_of_one_question_count_as_one_unit() -> None:
    rng = np.random.default_rng(1)
    base = (rng.random((120, 5)) < np.array([0.3, 0.2, 0.1, 0.06, 0.05])).astype(int)
    single = learn_then_test(base, [1, 2, 3, 4, 5], 0.15, 0.1)
    tripled = np.repeat(base, 3, axis=0)  # three dialogue variants of each question, judged alike
    groups = [f"q{i // 3}" for i in range(len(tripled))]
    grouped = learn_then_test(tripled, [1, 2, 3, 4, 5], 0.15, 0.1, groups=groups)
    assert grouped.n == 120 and grouped.n_items == 360 and grouped.binary
    assert grouped.p_values == pytest.approx(single.p_values) and grouped.chosen_k == single.chosen_k
    naive = learn_then_test(tripled, [1, 2, 3, 4, 5], 0.15, 0.1)  # what ignoring the grouping would claim
    below = [j for j, r in enumerate(single.risks) if r < 0.15]
    assert below and all(naive.p_values[j] < single.p_values[j] for j in below)  # overconfident


def test_mixed_groups_use_the_bounded_loss_test() -> None:
    losses = np.array([[1, 0], [0, 0], [0, 0], [0, 0]])
    worst = learn_then_test(losses, [1, 2], 0.3, 0.1, groups=["a", "a", "b", "c"])  # default: a unit's worst
    assert worst.n == 3 and worst.binary and worst.risks == pytest.approx([1 / 3, 0.0])
    res = learn_then_test(losses, [1, 2], 0.3, 0.1, groups=["a", "a", "b", "c"], group_loss="mean")
    assert res.n == 3 and not res.binary and res.risks == pytest.approx([1 / 6, 0.0])
    # bounded losses: min(Hoeffding, e * P(Binomial(n, alpha) <= ceil(n r)))
    r, n, alpha = 1 / 6, 3, 0.3
    kl = r * math.log(r / alpha) + (1 - r) * math.log((1 - r) / (1 - alpha))
    expected = min(math.exp(-n * kl), math.e * float(binom.cdf(math.ceil(n * r), n, alpha)))
    assert res.p_values[0] == pytest.approx(expected, rel=1e-9)
    assert 0.0 <= res.p_values[1] <= 1.0
