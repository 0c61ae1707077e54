"""The system resolver, with a short timeout: admin writes must not hang on DNS."""

from __future__ import annotations

import asyncio
import ipaddress
import socket

from application.ports.network import HostResolver
from domain.upstream import IPAddress


class SystemHostResolver(HostResolver):
    def __init__(self, timeout_s: float = 2.0) -> None:
        self._timeout = timeout_s

    async def resolve(self, host: str) -> list[IPAddress]:
        try:
            return [ipaddress.ip_address(host)]
        except ValueError:
            pass
        try:
            infos = await asyncio.wait_for(
                asyncio.get_running_loop().getaddrinfo(host, None, type=socket.SOCK_STREAM), self._timeout
            )
        except (OSError, TimeoutError):
            return []
        return list({ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos})
