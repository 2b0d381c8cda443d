"""Admin for review moderation (CAT-4)."""
