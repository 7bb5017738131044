"""Admin of findings."""
