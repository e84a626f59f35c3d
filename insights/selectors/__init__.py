"""Reads shared by the API, the pages and the jobs."""
