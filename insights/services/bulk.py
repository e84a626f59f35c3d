"""Bulk writes of computed rows: COPY on PostgreSQL (no per-value quoting), bulk_create elsewhere."""

import json

from django.db import connection, models


def rows_write(model: type[models.Model], rows: list[models.Model], *, batch_size: int = 5000) -> int:
    """Insert unsaved instances (every concrete field but the primary key) and return how many."""
    if connection.vendor != "postgresql":
        return len(model.objects.bulk_create(rows, batch_size=batch_size))
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([_value(f, row) for f in fields])
    return len(rows)


def _value(field: models.Field, row: models.Model):
    value = getattr(row, field.attname)
    return json.dumps(value) if isinstance(field, models.JSONField) and value is not None else value
