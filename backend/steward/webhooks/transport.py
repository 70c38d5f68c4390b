"""Outbound HTTP for webhooks, safe against server-side request forgery.

A subscriber chooses the URL, so a URL is a request to make *our* server connect somewhere: to the
database host, a cloud metadata endpoint (169.254.169.254), a router's admin page. The rules:

- ``https`` only (``http`` too when ``WEBHOOKS_ALLOW_HTTP``, for a local receiver in development), no
  user:password in the URL, redirects never followed (a 3xx is a failed attempt);
- the host is resolved **once** per attempt and *every* address it resolves to must be public (not
  private, loopback, link-local, CGNAT, multicast, reserved or unspecified; IPv4-mapped IPv6 is
  unwrapped) — checked when the subscription is saved *and* at each delivery, since DNS answers change;
- the connection goes to the very address that was checked (TLS still verifies the certificate for the
  host name, sent as SNI): a DNS answer that changes between the check and the connect (DNS
  rebinding) cannot move the request elsewhere;
- connect within 3 s, the whole exchange within 10 s (a watchdog closes the socket at the deadline,
  so a receiver dripping bytes cannot hold a worker), at most 64 KiB of the answer read, 1 KiB kept.

``WEBHOOKS_ALLOW_PRIVATE`` lifts the address rule (tests and a receiver on the same machine).
"""
from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import threading
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

CONNECT_TIMEOUT = 3.0
TOTAL_TIMEOUT = 10.0
MAX_RESPONSE = 64 * 1024
EXCERPT_BYTES = 1024


class Refused(Exception):
    """A URL or address we will not connect to (the message is an English message id)."""


def _offline() -> bool:
    from flask import current_app, has_app_context

    return has_app_context() and bool(current_app.config.get("WEBHOOKS_OFFLINE"))


def resolve(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to, in the resolver's order. Tests replace this function; with
    ``WEBHOOKS_OFFLINE`` (the test configuration) no name is looked up at all, so no test run (contract
    fuzzing included) sends a DNS query or a webhook anywhere."""
    if _offline():
        raise OSError("WEBHOOKS_OFFLINE: no DNS lookups")
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def is_public(ip: str) -> bool:
    addr = ipaddress.ip_address(ip.split("%", 1)[0])
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped is not None:
        addr = addr.ipv4_mapped
    return addr.is_global and not (addr.is_private or addr.is_loopback or addr.is_link_local or addr.is_reserved
                                   or addr.is_multicast or addr.is_unspecified)


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str


def parse(url: str, *, allow_http: bool) -> Target:
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise Refused("Enter a valid URL.") from None
    if parts.scheme not in (("https", "http") if allow_http else ("https",)):
        raise Refused("The URL must start with https://.")
    if parts.username is not None or parts.password is not None:
        raise Refused("The URL must not contain a user name or password.")
    if not parts.hostname:
        raise Refused("Enter a valid URL.")
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(parts.scheme, parts.hostname, port or (443 if parts.scheme == "https" else 80), path)


def addresses(target: Target, *, allow_private: bool) -> list[str]:
    """The checked addresses of ``target`` (resolved once); :class:`Refused` when any is not public."""
    try:
        ips = resolve(target.host, target.port)
    except (OSError, UnicodeError, ValueError):
        raise Refused("The host name does not resolve.") from None
    if not ips:
        raise Refused("The host name does not resolve.")
    if not allow_private and not all(is_public(ip) for ip in ips):
        raise Refused("The URL points to a private or reserved address.")
    return ips


def check_url(url: str, *, allow_private: bool, allow_http: bool) -> None:
    addresses(parse(url, allow_http=allow_http), allow_private=allow_private)


@dataclass
class Result:
    status_code: int | None
    latency_ms: int
    excerpt: str | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def open_socket(ip: str, port: int, timeout: float) -> socket.socket:
    """The one place a socket is opened, to an address already checked (tests guard it)."""
    if _offline() and ip != "127.0.0.1":
        raise ConnectionRefusedError("WEBHOOKS_OFFLINE: loopback only")
    return socket.create_connection((ip, port), timeout)


class _HTTPConnection(http.client.HTTPConnection):
    def __init__(self, target: Target, ip: str, timeout: float) -> None:
        super().__init__(target.host, target.port, timeout=timeout)
        self._ip = ip

    def connect(self) -> None:
        self.sock = open_socket(self._ip, self.port, self.timeout)


class _HTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, target: Target, ip: str, timeout: float) -> None:
        super().__init__(target.host, target.port, timeout=timeout, context=ssl.create_default_context())
        self._ip = ip

    def connect(self) -> None:
        sock = open_socket(self._ip, self.port, self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def post(url: str, body: bytes, headers: dict[str, str], *, allow_private: bool = False, allow_http: bool = False,
         connect_timeout: float = CONNECT_TIMEOUT, total_timeout: float = TOTAL_TIMEOUT,
         max_bytes: int = MAX_RESPONSE) -> Result:
    """POST ``body`` to ``url`` under the rules above. Never raises for the receiver's sake: every outcome,
    a refusal included, is a :class:`Result` for the delivery log."""
    started = time.monotonic()

    def done(status: int | None = None, excerpt: str | None = None, error: str | None = None) -> Result:
        return Result(status, int((time.monotonic() - started) * 1000), excerpt, error[:200] if error else None)

    try:
        target = parse(url, allow_http=allow_http)
        ip = addresses(target, allow_private=allow_private)[0]
    except Refused as e:
        return done(error=f"refused: {e}")
    cls = _HTTPSConnection if target.scheme == "https" else _HTTPConnection
    conn = cls(target, ip, connect_timeout)
    timed_out = threading.Event()

    def cut() -> None:
        timed_out.set()
        sock = conn.sock
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    watchdog = threading.Timer(total_timeout, cut)
    watchdog.daemon = True
    watchdog.start()
    try:
        conn.connect()
        conn.sock.settimeout(max(0.05, total_timeout - (time.monotonic() - started)))
        conn.request("POST", target.path, body=body, headers=headers)
        resp = conn.getresponse()
        data = b""
        while len(data) <= max_bytes:
            chunk = resp.read(min(8192, max_bytes + 1 - len(data)))
            if not chunk:
                break
            data += chunk
        excerpt = data[:EXCERPT_BYTES].decode("utf-8", errors="ignore")
        return done(resp.status, excerpt)
    except (OSError, http.client.HTTPException, ValueError) as e:
        if timed_out.is_set() or isinstance(e, TimeoutError):
            return done(error=f"timeout after {total_timeout:g}s" if timed_out.is_set() else "timeout")
        return done(error=f"{type(e).__name__}: {e}")
    finally:
        watchdog.cancel()
        conn.close()
