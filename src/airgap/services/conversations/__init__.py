"""Conversational language understanding (CLU): projects imported from Azure's export JSON,
trained offline (``engines/``), served on ``/language/:analyze-conversations`` and the CLU
authoring routes. The service is ``service.py``; this module stays light."""
