"""Who the client is, for per-client limits and the sign-in history.

The TCP peer is the client, unless the peer is one of the configured trusted proxies: then the
`X-Forwarded-For` chain is read from the right (each trusted proxy appends the address it saw),
and the first address that is not itself a trusted proxy is the client. Entries to its left are
whatever the client chose to send and are never believed. With no trusted proxies configured the
header is ignored altogether.

An IPv6 client is identified by its /64: one household or server gets a whole /64, so counting
single addresses would let one machine rotate through billions of them.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence

from fastapi import Request

from server.config import Network

from .context import context_of

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
_MAX_HOPS = 32


def parse_address(text: str) -> IPAddress | None:
    """An address as proxies write it: `1.2.3.4`, `1.2.3.4:5678`, `::1`, `[::1]:5678`."""
    value = text.strip().strip('"')
    if value.startswith("["):
        value = value[1:].partition("]")[0]
    elif value.count(":") == 1:
        value = value.partition(":")[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _trusted(address: IPAddress | None, proxies: Sequence[Network]) -> bool:
    return address is not None and any(address in network for network in proxies)


def client_address(
    peer: str | None, forwarded_for: Sequence[str], proxies: Sequence[Network]
) -> IPAddress | None:
    """The client's address, or None when it cannot be known (no peer, or a trusted proxy sent
    something that is not an address)."""
    address = parse_address(peer) if peer else None
    if not _trusted(address, proxies):
        return address
    hops = [hop for header in forwarded_for for hop in header.split(",") if hop.strip()]
    for hop in reversed(hops[-_MAX_HOPS:]):
        address = parse_address(hop)
        if address is None:
            return None
        if not _trusted(address, proxies):
            return address
    return address  # every hop is a trusted proxy: the request started inside


def client_key(address: IPAddress | None) -> str | None:
    """What limits count and the history shows: the IPv4 address, or the IPv6 /64."""
    if address is None:
        return None
    if isinstance(address, ipaddress.IPv6Address):
        return str(ipaddress.IPv6Network((int(address) >> 64 << 64, 64)))
    return str(address)


async def request_client(request: Request) -> str | None:
    """FastAPI dependency (a coroutine: no worker-thread hop): the client key of this request."""
    proxies = context_of(request).trusted_proxies
    peer = request.client.host if request.client else None
    forwarded = request.headers.getlist("x-forwarded-for") if proxies else []
    return client_key(client_address(peer, forwarded, proxies))
