"""Anomaly detection on plain numpy arrays: no HTTP, no Azure JSON."""
