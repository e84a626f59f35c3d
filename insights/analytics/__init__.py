"""Pure analytics: pandas DataFrames in, dataclasses (or typed frames) out. No ORM, no I/O.

Frames built by insights.selectors, with money as integer cents (int64):
- transactions: user_id, id, account_id, account_kind, to_account_kind, kind, cents, day (local date,
  datetime64), created_day (local date the row was logged), merchant, category
- accounts: user_id, account_id, kind, balance_cents, limit_cents (NaN when none), minimum_payment_cents,
  last_payment_cents (NaN when unknown), is_overdue
- daily: day, category, kind, cents (one row per day/category/kind, added up from the ledger)
"""
