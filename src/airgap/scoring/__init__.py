"""``airgap score``: a user's Azure ML ``score.py`` served offline, wire-compatible with Azure ML's
inference server (``azureml-inference-server-http``, ``azmlinfsrv``), on the airgap platform.

Its own composition root (``app.py``), beside ``airgap serve``'s: it imports the platform, never a
service. ``cli.py`` (the command), ``config.py`` (azmlinfsrv's flags and variables), ``server.py``
(the supervisor and its uvicorn workers), ``user_script.py`` (loading and calling the script),
``runner.py`` (``run()`` threads and the scoring timeout), ``swagger.py``, ``wire.py``, ``logs.py``,
and ``compat/`` (the ``azureml.contrib.services`` modules scripts import). docs/scoring.md.
"""
