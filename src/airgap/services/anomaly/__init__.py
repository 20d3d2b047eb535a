"""The Anomaly Detector service (univariate v1.1 and v1.0); the service class is ``service.py``."""
