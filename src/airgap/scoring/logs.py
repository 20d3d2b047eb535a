"""The score server's log, in azmlinfsrv's format: ``<UTC time> <L> [<pid>] <logger> - <message>``.

Lines that azmlinfsrv writes (start-up, ``init()``, each request, errors) keep its logger names
(``azmlinfsrv``, ``azmlinfsrv.user_script``, ``azmlinfsrv.swagger``) and wording, so that what
operators search their logs for is found here too; airgap's own lines are ``airgap.*``. A script's
``print()`` to standard output becomes a line of the ``azmlinfsrv.print`` logger, as there.
A ``logging.json`` in the app root (``logging.config.dictConfig``) replaces this configuration.
"""

from __future__ import annotations

import builtins
import functools
import json
import logging
import logging.config
import os
import sys
import time
from typing import Any

FORMAT = "%(asctime)s %(levelname).1s [%(process)d] %(name)s - %(message)s"

_default_print = builtins.print
_print_log = logging.getLogger("azmlinfsrv.print")


class AMLLogFormatter(logging.Formatter):
    converter = time.gmtime

    def __init__(self, fmt: str = FORMAT, datefmt: str | None = None, style: Any = "%") -> None:
        super().__init__(fmt=fmt, datefmt=datefmt, style=style)


def configure(level: str = "INFO", app_root: str | None = None) -> None:
    if app_root and _user_config(app_root):
        return
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(AMLLogFormatter())
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    number = logging.getLevelName(level.upper()) if isinstance(level, str) else level
    root.setLevel(number if isinstance(number, int) else logging.INFO)
    for name in ("uvicorn", "uvicorn.error"):
        logging.getLogger(name).handlers.clear()
        logging.getLogger(name).propagate = True
    logging.getLogger("uvicorn.access").disabled = True  # each request is logged by the app (azmlinfsrv's line)


def _user_config(app_root: str) -> bool:
    path = os.path.join(app_root, "logging.json")
    if not os.path.isfile(path):
        return False
    try:
        with open(path, encoding="utf-8") as f:
            logging.config.dictConfig(json.load(f))
    except Exception as exc:  # noqa: BLE001 - a broken file must not stop the server; say so
        print(f"airgap score: ignoring {path}: {exc}", file=sys.stderr)
        return False
    logging.getLogger("azmlinfsrv").info("Loaded logging config from %s", path)
    return True


@functools.wraps(print)
def _print_to_logger(*objects: Any, sep: str | None = " ", end: str | None = "\n", file: Any = None,
                     flush: bool = False) -> None:
    file = file or sys.stdout
    if file is sys.stdout:
        _print_log.info((sep if sep is not None else " ").join(map(str, objects)))
    else:
        _default_print(*objects, sep=sep, end=end, file=file, flush=flush)


def redirect_print() -> None:
    builtins.print = _print_to_logger
