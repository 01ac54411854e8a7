"""Datasets: seeded generators and a CSV loader (filled in by the datasets work)."""
