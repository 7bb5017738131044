"""Admin of comparisons."""
