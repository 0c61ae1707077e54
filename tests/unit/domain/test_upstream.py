import ipaddress

import pytest

from domain.errors import InvalidRequestError
from domain.upstream import UpstreamAllowList, check_upstream, upstream_host

pytestmark = pytest.mark.unit

NONE = UpstreamAllowList()


def ips(*addresses: str) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    return [ipaddress.ip_address(a) for a in addresses]


@pytest.mark.parametrize(
    ("url", "host"),
    [
        ("https://api.openai.com/v1", "api.openai.com"),
        ("http://LOCALHOST.:8000", "localhost"),
        ("http://[::1]/v1", "::1"),
    ],
)
def test_upstream_host_reads_the_host(url: str, host: str) -> None:
    assert upstream_host(url) == host


@pytest.mark.parametrize(
    "url", ["ftp://x.com", "file:///etc/passwd", "api.openai.com", "http://user:pw@x.com/v1", "http://"]
)
def test_upstream_host_refuses_other_urls(url: str) -> None:
    with pytest.raises(InvalidRequestError):
        upstream_host(url)


@pytest.mark.parametrize(
    ("host", "addresses"),
    [
        ("127.0.0.1", ips("127.0.0.1")),
        ("localhost", []),
        ("db.internal", ips("10.0.0.5")),
        ("router", ips("192.168.1.1")),
        ("v6", ips("::1")),
        ("mapped", ips("::ffff:127.0.0.1")),
        ("ula", ips("fd12:3456::1")),
        ("linklocal", ips("169.254.10.1")),
        ("zero", ips("0.0.0.0")),
        ("mixed", ips("93.184.216.34", "10.1.1.1")),  # any internal answer is enough to refuse
    ],
)
def test_internal_addresses_are_refused_without_an_allow_list(host: str, addresses: list) -> None:
    with pytest.raises(InvalidRequestError) as info:
        check_upstream(host, addresses, NONE)
    assert info.value.param == "base_url" and "LLMGW_ALLOWED_UPSTREAM_HOSTS" in info.value.message


@pytest.mark.parametrize(
    ("host", "addresses"),
    [("metadata.google.internal", []), ("x", ips("169.254.169.254")), ("y", ips("fd00:ec2::254"))],
)
def test_metadata_is_refused_even_when_allowed(host: str, addresses: list) -> None:
    allow = UpstreamAllowList([host, "169.254.0.0/16", "fd00::/8"])
    with pytest.raises(InvalidRequestError, match="metadata"):
        check_upstream(host, addresses, allow)


@pytest.mark.parametrize(
    ("entries", "host", "addresses"),
    [
        (["127.0.0.1"], "127.0.0.1", ips("127.0.0.1")),
        (["10.0.0.0/8"], "vllm.internal", ips("10.2.3.4")),
        (["vllm.internal"], "vllm.internal", ips("10.2.3.4")),
        (["localhost"], "localhost", ips("127.0.0.1")),
        ([], "api.openai.com", ips("162.159.140.245")),
        ([], "unresolvable.example", []),
    ],
)
def test_allowed_or_public_hosts_pass(entries: list[str], host: str, addresses: list) -> None:
    check_upstream(host, addresses, UpstreamAllowList(entries))
