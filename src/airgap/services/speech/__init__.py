"""The Speech service (speech to text): Azure's USP websocket and REST for short audio.

This package's ``__init__`` stays empty on purpose: ``settings.py`` is imported by every
install to know the ``Speech:*`` keys (``registry.SETTINGS_MODULES``), including installs
without the speech extra, so nothing here may import numpy, faster-whisper or PyAV. The
service itself is ``service.py`` (``registry.BUNDLED``).
"""
