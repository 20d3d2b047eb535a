"""Licensing: everything between the server and the licence authority.

- ``token``: the signed licence (EdDSA JWT): claims, trusted keys, issue, verify, the licence
  folder. The only module the authority shares with the server.
- ``modes``: the mode the settings choose (disconnected, connected, unlicensed): its gate,
  ``/status`` and ``/ready`` hooks, quota book and usage-report task.
- ``authority_client``: the HTTP client of the authority.
- ``download``: ``DownloadLicense=True``.

Nothing is imported here, so that ``token`` can be used without the rest.
"""
