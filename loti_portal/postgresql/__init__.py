"""Django's PostgreSQL backend with a bounded connection check (base.py)."""
