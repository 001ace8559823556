"""The sample branch and its seeded generator."""
