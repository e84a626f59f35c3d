"""The ledger API: request/answer shapes in serializers.py, endpoints in views.py."""
