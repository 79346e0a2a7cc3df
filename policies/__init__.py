"""This project's own checkov policies (see policies/README.md)."""
