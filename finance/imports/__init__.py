"""File import, bulk ingest and external sync (issue 4). Parsers are pure: bytes in, rows out, no ORM."""
