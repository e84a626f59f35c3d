"""A month's budget status and its forecast: the status reads the ledger, the forecast is pure arithmetic."""
