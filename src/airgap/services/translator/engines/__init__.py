"""The Translator's engines: plain Python, Azure language codes in and out, no HTTP or Azure JSON.

- ``apertium``: the bundled rule-based pairs (Debian's ``apertium-*``), run by the engine
  process ``apertium_server.py``;
- ``neural``: CTranslate2 models mounted by the user (``Mounts:Models``);
- ``routing``: chooses, per direction, the engine that answers (a neural model over Apertium,
  a pivot through a shared language when no engine has the direction);
- ``transliteration``, ``sentences``, ``catalog`` (language names and scripts).
"""
