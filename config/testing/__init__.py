"""Pytest plugins shared by every app's tests, registered in the root conftest.py."""
