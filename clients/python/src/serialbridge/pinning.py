"""Certificate pinning: `connect(url, fingerprint="AB:CD:...")` for a bridge with `server.tls`.

Before each connection the client reads the server's certificate over a TLS handshake of its
own (nothing else is sent on it), compares its SHA-256 fingerprint with the pin, and then
connects trusting exactly that certificate, without a host name check: the pin names the
server. So a self-signed certificate (`server.tls: "auto"`) works without turning
verification off, and a wrong pin fails before the token is sent.
"""

from __future__ import annotations

import asyncio
import hashlib
import re
import ssl
from urllib.parse import urlsplit

from .errors import ConnectFailed

_PAIRED = re.compile(r"^[0-9A-F]{2}(:[0-9A-F]{2}){31}$")
_DIGITS = re.compile(r"^[0-9A-F]{64}$")


def normalize_fingerprint(text: str) -> str:
    """`AA:BB:...` (32 pairs, as Serial Bridge shows it) in either case, or the 64 digits alone."""
    given = text.strip().upper()
    if _DIGITS.match(given):
        given = ":".join(given[i : i + 2] for i in range(0, 64, 2))
    if not _PAIRED.match(given):
        raise ConnectFailed(
            "fingerprint is the certificate's SHA-256 as Serial Bridge shows it: 32 pairs of "
            f'hex digits joined by ":" (AB:CD:...), not {text!r}'
        )
    return given


def check_pin_target(url: str) -> None:
    if urlsplit(url).scheme != "wss":
        raise ConnectFailed(
            "fingerprint pins the certificate of a TLS server, and this URL is plain ws://: "
            "use the wss:// address Serial Bridge shows"
        )


async def pinned_context(url: str, fingerprint: str, timeout: float) -> ssl.SSLContext:
    """An SSL context that trusts exactly the server's certificate, once it matches the pin."""
    parts = urlsplit(url)
    host = parts.hostname or "127.0.0.1"
    port = parts.port or 443
    where = f"{parts.hostname}:{port}"
    probe = ssl.create_default_context()
    probe.check_hostname = False
    probe.verify_mode = ssl.CERT_NONE  # only to read the certificate; it is checked below
    try:
        _, writer = await asyncio.wait_for(
            asyncio.open_connection(host, port, ssl=probe, server_hostname=_sni(host)), timeout
        )
    except (OSError, asyncio.TimeoutError) as error:
        detail = str(error) or type(error).__name__
        raise ConnectFailed(
            f"cannot connect to {where}: {detail} (is Serial Bridge running?)",
            # As the plain link says it: the reconnect then retries promptly.
            nobody_listening=isinstance(error, ConnectionRefusedError),
        ) from None
    try:
        der = writer.get_extra_info("ssl_object").getpeercert(binary_form=True)
    finally:
        writer.close()
    digest = hashlib.sha256(der).hexdigest().upper()
    seen = ":".join(digest[i : i + 2] for i in range(0, 64, 2))
    if seen != fingerprint:
        raise ConnectFailed(
            f"{where} did not present the pinned certificate: its SHA-256 fingerprint is "
            f"{seen}, the pin is {fingerprint}. Nothing was sent (no token). If the bridge made "
            "a new certificate, pin the fingerprint it shows now."
        )
    context = ssl.create_default_context(cadata=ssl.DER_cert_to_PEM_cert(der))
    context.check_hostname = False  # the pin names the server
    # The pinned certificate is the trust anchor even when a CA issued it (given files).
    context.verify_flags |= ssl.VERIFY_X509_PARTIAL_CHAIN
    return context


def _sni(host: str) -> str | None:
    # A server name may not be an IP address (RFC 6066).
    return None if re.match(r"^[\d.]+$", host) or ":" in host else host
