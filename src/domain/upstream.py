"""Where a provider's `base_url` may point: never at cloud metadata, and at loopback, private or
link-local addresses only when the operator's allow-list admits the host."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from urllib.parse import urlsplit

from domain.errors import InvalidRequestError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

# Instance metadata services hand out cloud credentials: no allow-list opens them.
METADATA_ADDRESSES: frozenset[IPAddress] = frozenset(
    ipaddress.ip_address(a) for a in ("169.254.169.254", "169.254.170.2", "fd00:ec2::254", "100.100.100.200")
)
METADATA_HOSTS = frozenset({"metadata.google.internal", "metadata", "instance-data", "instance-data.ec2.internal"})


class UpstreamAllowList:
    """Hosts, IP addresses and CIDR networks from `LLMGW_ALLOWED_UPSTREAM_HOSTS` (comma-separated)."""

    def __init__(self, entries: Iterable[str] = ()) -> None:
        self.hosts: set[str] = set()
        self.networks: list[IPNetwork] = []
        for raw in entries:
            entry = raw.strip().lower()
            if not entry:
                continue
            try:
                self.networks.append(ipaddress.ip_network(entry, strict=False))
            except ValueError:
                self.hosts.add(entry)

    def admits(self, host: str, address: IPAddress | None = None) -> bool:
        if host in self.hosts:
            return True
        return address is not None and any(address in net for net in self.networks)


def upstream_host(base_url: str) -> str:
    """The host of an http(s) URL, lower-cased; a clear 400 for anything else."""
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidRequestError("base_url must be an http:// or https:// URL with a host", param="base_url")
    if parts.username or parts.password:
        raise InvalidRequestError("base_url must not carry credentials: use api_key or extra_headers", param="base_url")
    return parts.hostname.lower().rstrip(".")


def check_upstream(host: str, addresses: Iterable[IPAddress], allow: UpstreamAllowList) -> None:
    """Refuse metadata always; refuse internal addresses the allow-list does not admit.
    `addresses` are what the host is (a literal IP) or resolves to; empty when unresolvable."""
    if host in METADATA_HOSTS:
        raise InvalidRequestError(f"base_url host '{host}' is a cloud metadata service", param="base_url")
    if (host == "localhost" or host.endswith(".localhost")) and not allow.admits(host):
        raise _internal(host, "loopback")
    for address in addresses:
        if address in METADATA_ADDRESSES:
            raise InvalidRequestError(f"base_url address {address} is a cloud metadata service", param="base_url")
        kind = _internal_kind(address)
        if kind and not allow.admits(host, address):
            raise _internal(host, kind)


def _internal_kind(address: IPAddress) -> str | None:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    if address.is_loopback:
        return "loopback"
    if address.is_link_local:
        return "link-local"
    if address.is_private or address.is_reserved or address.is_unspecified or address.is_multicast:
        return "private"
    return None


def _internal(host: str, kind: str) -> InvalidRequestError:
    return InvalidRequestError(
        f"base_url host '{host}' is a {kind} address; add it to LLMGW_ALLOWED_UPSTREAM_HOSTS to allow it",
        param="base_url",
    )
