"""One transport per channel kind; see registry.py."""
