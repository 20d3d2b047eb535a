"""Fetching an image or document named by URL (``url`` / ``urlSource``), for networks
that allow it.

Off unless ``Http:UrlSourceHosts`` names hosts: a server that fetches on a
client's behalf is a way out of the air gap (and a way into the hosts around
it), so only hosts the operator listed are contacted, over http or https, with
redirects followed only within the same host, a size limit (``Http:MaxFileBytes``,
enforced while streaming) and a deadline for the whole download.
"""

from __future__ import annotations

import asyncio
import functools
import re
import ssl
from dataclasses import dataclass

import httpx

from airgap.platform.errors import BadRequest

MAX_REDIRECTS = 5


@dataclass(frozen=True)
class UrlPolicy:
    hosts: tuple[str, ...]  # lower-case names or IP literals; "*.example.org" for any sub-domain
    timeout: float  # seconds for the whole download, redirects included
    max_bytes: int

    def allows(self, host: str) -> bool:
        host = host.lower().rstrip(".")
        for entry in self.hosts:
            if entry.startswith("*."):
                if host.endswith(entry[1:]):
                    return True
            elif host == entry:
                return True
        return False

    def check(self, url: str | httpx.URL) -> httpx.URL:
        """The URL parsed, or ``InvalidImageUrl`` saying why this server will not fetch it."""
        if not self.hosts:
            raise _invalid(
                "Reading files from a URL is off on this server (it is air-gapped); send the file's bytes as "
                "application/octet-stream (or base64Source where the API accepts it), or ask the operator to "
                "list the host in the setting Http:UrlSourceHosts.")
        try:
            parsed = url if isinstance(url, httpx.URL) else httpx.URL(url)
        except (httpx.InvalidURL, TypeError, ValueError):
            raise _invalid(f"'{_short(str(url))}' is not a valid URL.") from None
        if parsed.scheme not in ("http", "https") or not parsed.host:
            raise _invalid(f"'{_short(str(url))}' is not an absolute http or https URL.")
        if not self.allows(parsed.host):
            raise _invalid(f"Host '{parsed.host}' is not one this server may fetch from; allowed hosts (setting "
                           f"Http:UrlSourceHosts): {', '.join(self.hosts)}.")
        return parsed


async def fetch(url: str, policy: UrlPolicy) -> bytes:
    """The body at ``url``, or ``InvalidImageUrl`` / ``InvalidImageSize`` / ``FailedToDownloadImage``."""
    target = policy.check(url)
    try:
        async with asyncio.timeout(policy.timeout):
            return await _download(target, policy)
    except (TimeoutError, httpx.TimeoutException):
        raise _failed(f"Downloading {_short(str(target))} did not finish within {policy.timeout:g} seconds "
                      "(setting Http:UrlSourceTimeoutSeconds).") from None
    except httpx.HTTPError as exc:
        raise _failed(f"Downloading {_short(str(target))} failed: {type(exc).__name__}"
                      + (f" ({exc})" if str(exc) else "") + ".") from None


async def _download(target: httpx.URL, policy: UrlPolicy) -> bytes:
    # trust_env=False: proxy variables of the server's environment must not re-route client URLs.
    async with httpx.AsyncClient(follow_redirects=False, trust_env=False, verify=_tls_context(),
                                 timeout=policy.timeout) as client:
        for _ in range(MAX_REDIRECTS + 1):
            async with client.stream("GET", target) as response:
                if response.is_redirect:
                    following = target.join(response.headers["location"])
                    downgrade = target.scheme == "https" and following.scheme != "https"
                    if following.host != target.host or following.scheme not in ("http", "https") or downgrade:
                        raise _invalid(f"{_short(str(target))} redirects to '{_short(str(following))}'; this "
                                       "server follows redirects only within the same host (and never from https "
                                       "to http).")
                    target = following
                    continue
                if not response.is_success:
                    raise _failed(f"Downloading {_short(str(target))} answered HTTP {response.status_code}.")
                return await _body(response, policy.max_bytes, target)
        raise _failed(f"{_short(str(target))} redirected more than {MAX_REDIRECTS} times.")


async def _body(response: httpx.Response, limit: int, target: httpx.URL) -> bytes:
    declared = response.headers.get("content-length", "")
    if declared.isascii() and declared.isdigit() and int(declared) > limit:  # isdigit() alone takes "²"
        raise _too_large(target, limit)
    chunks: list[bytes] = []
    received = 0
    async for chunk in response.aiter_bytes():
        received += len(chunk)
        if received > limit:  # stop reading: the rest is never downloaded
            raise _too_large(target, limit)
        chunks.append(chunk)
    return b"".join(chunks)


@functools.cache
def _tls_context() -> ssl.SSLContext:
    # The system trust store, where an isolated network's own CA is installed (not certifi's bundle).
    return ssl.create_default_context()


_USERINFO = re.compile(r"(?<=://)[^/@\s]*@")


def _short(text: str) -> str:
    """A URL as it may appear in an error message: credentials masked, length capped."""
    text = _USERINFO.sub("***@", text)
    return text if len(text) <= 200 else text[:197] + "..."


def _invalid(message: str) -> BadRequest:
    return BadRequest(message, code="InvalidImageUrl")


def _failed(message: str) -> BadRequest:
    return BadRequest(message, code="FailedToDownloadImage")


def _too_large(target: httpx.URL, limit: int) -> BadRequest:
    return BadRequest(f"The file at {_short(str(target))} is larger than {limit:,} bytes, the limit of this server "
                      "(setting Http:MaxFileBytes).", code="InvalidImageSize")
