"""The licence authority: the stand-in for the Azure resource that containers bill against.

``store`` keeps resources, hashed API keys and uploaded usage in SQLite and signs
licences; ``app`` is its HTTP API; ``cli`` is ``airgap authority ...``. It shares
only ``airgap.platform.licensing.token`` with the container side.
"""
