import pandas as pd

from insights.analytics.anomalies import detect_anomalies
from insights.tests.analytics.frames import AS_OF, transactions

SINCE = AS_OF - pd.Timedelta(days=7)


def history(amounts: list[int], merchant="Corner shop") -> list[dict]:
    return [
        {"cents": c, "merchant": merchant, "day": AS_OF - pd.Timedelta(days=10 + 5 * i)} for i, c in enumerate(amounts)
    ]


def test_robust_z_flags_a_large_amount():
    rows = history([1000, 1100, 900, 1050, 950, 1000]) + [{"cents": 5000, "merchant": "Corner shop", "day": AS_OF}]
    findings = detect_anomalies(transactions(rows), since=SINCE)
    assert [(f.kind, f.transaction_id) for f in findings] == [("unusual_amount", 7)]
    # median 1000, MAD 50: 0.6745 x 4000 / 50
    assert findings[0].score == round(0.6745 * 4000 / 50, 2)
    assert "usual 10.00" in findings[0].reason


def test_just_under_the_threshold_is_not_flagged():
    # z = 0.6745 x (x - 1000) / 50 < 3.5  for x = 1259
    rows = history([1000, 1100, 900, 1050, 950, 1000]) + [{"cents": 1259, "merchant": "Corner shop", "day": AS_OF}]
    assert detect_anomalies(transactions(rows), since=SINCE) == []


def test_too_little_history_is_not_judged():
    rows = history([1000, 1100, 900, 1050]) + [{"cents": 50000, "merchant": "Corner shop", "day": AS_OF}]
    assert detect_anomalies(transactions(rows), since=SINCE) == []


def test_large_first_purchase_at_a_new_merchant():
    rows = history([1000] * 6) + [{"cents": 30000, "merchant": "Jeweller", "category": "shopping", "day": AS_OF}]
    findings = detect_anomalies(transactions(rows), since=SINCE)
    assert [(f.kind, f.score) for f in findings] == [("new_merchant", 30.0)]


def test_small_first_purchase_or_known_merchant_is_fine():
    rows = history([1000] * 6) + [
        {"cents": 2000, "merchant": "Bakery", "category": "dining", "day": AS_OF},
        {"cents": 4000, "merchant": "Corner shop", "category": "dining", "day": AS_OF},
    ]
    assert detect_anomalies(transactions(rows), since=SINCE) == []
