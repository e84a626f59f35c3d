"""Hand-built frames in the shape insights.selectors produces."""

import pandas as pd

AS_OF = pd.Timestamp("2026-06-30")


def transactions(rows: list[dict]) -> pd.DataFrame:
    defaults = {"user_id": 1, "account_id": 1, "account_kind": "checking", "to_account_kind": "", "kind": "expense",
                "merchant": "", "category": "groceries", "category_id": 1}  # fmt: skip
    records = []
    for number, row in enumerate(rows, start=1):
        record = {**defaults, "id": number, **row}
        record["day"] = pd.Timestamp(record["day"])
        record["created_day"] = pd.Timestamp(record.get("created_day", record["day"]))
        records.append(record)
    columns = [*defaults, "id", "cents", "day", "created_day"]
    frame = pd.DataFrame.from_records(records, columns=columns)
    return frame.astype({"cents": "int64", "day": "datetime64[ns]", "created_day": "datetime64[ns]"})


def accounts(rows: list[dict]) -> pd.DataFrame:
    defaults = {"user_id": 1, "kind": "checking", "balance_cents": 0.0, "limit_cents": float("nan"),
                "minimum_payment_cents": float("nan"), "last_payment_cents": float("nan"), "is_overdue": False}  # fmt: skip
    records = [{**defaults, "account_id": n, **row} for n, row in enumerate(rows, start=1)]
    return pd.DataFrame.from_records(records, columns=[*defaults, "account_id"])
