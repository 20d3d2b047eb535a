"""The Translator service (Text Translation 3.0 and 2026-06-06).

This module stays light: ``settings`` is imported by the command line before any service loads;
the service itself is ``service.TranslatorService``.
"""
