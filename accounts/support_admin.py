"""Admin for support tickets (SUP-1, SUP-2)."""
