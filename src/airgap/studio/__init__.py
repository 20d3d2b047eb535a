"""``airgap studio``: the Studio on its own, in front of a deployment whose services run apart.

``airgap serve`` serves ``/studio`` itself, and the page learns the hosted services from that
server's ``/ready``. In the compose stack each service runs in its own container behind nginx,
and ``/ready`` through the front reaches only the language replicas, so a Studio served there
would show Language alone. This small process serves the same page (the package data of
``airgap.platform.studio``), answers ``/ready`` with the merged ``services`` of every service's
own ``/ready`` (``Studio:Ready``), and passes every other request to one upstream, the front
(``Studio:Upstream``). It loads no model and needs only the platform's packages.

Modules: ``settings`` (the two settings), ``ready`` (the merged readiness), ``proxy`` (the
pass-through), ``app`` (the ASGI app), ``cli`` (the command).
"""
