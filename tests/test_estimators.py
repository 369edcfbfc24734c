"""Estimators of partnerlib.analysis.estimators against hand computation and a second library."""

import numpy as np
import pytest

from partnerlib.analysis.estimators import adjust_p


def test_adjust_p_by_hand_and_leaves_missing_out():
    p = [0.01, np.nan, 0.04, 0.03, 0.2]
    # Holm, m = 4: sorted 0.01, 0.03, 0.04, 0.2 -> x4, x3, x2, x1 = 0.04, 0.09, 0.08, 0.2 -> running max
    np.testing.assert_allclose(adjust_p(p, "holm"), [0.04, np.nan, 0.09, 0.09, 0.2])
    # Benjamini-Hochberg: p_(i) * 4 / i = 0.04, 0.06, 0.0533, 0.2 -> running min from the top
    np.testing.assert_allclose(adjust_p(p, "fdr_bh"), [0.04, np.nan, 0.16 / 3, 0.16 / 3, 0.2])
    assert np.isnan(adjust_p([np.nan, np.nan])).all()
    with pytest.raises(ValueError, match="unknown adjustment 'bonf'"):
        adjust_p(p, "bonf")
