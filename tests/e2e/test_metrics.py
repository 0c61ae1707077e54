"""`/metrics`: the gateway's counters in Prometheus' format, with bounded label values only."""

import asyncio
import re
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from adapters.metrics.prometheus import PrometheusMetrics
from application.ports.metrics import UsageLabels
from domain.usage import UsageRecord
from tests.e2e.conftest import Gateway, unique

pytestmark = pytest.mark.integration

SAMPLE = re.compile(r"^(llmgw_\w+)\{(.*)\} (\S+)$")
LABEL = re.compile(r'(\w+)="((?:[^"\\]|\\.)*)"')


def samples(text: str) -> list[tuple[str, dict[str, str], float]]:
    out = []
    for line in text.splitlines():
        if match := SAMPLE.match(line):
            out.append((match[1], dict(LABEL.findall(match[2])), float(match[3])))
    return out


async def scrape_until(gateway: Gateway, tenant: str, predicate: str) -> str:
    async with httpx.AsyncClient(base_url=gateway.url) as client:
        for _ in range(100):
            text = (await client.get("/metrics")).text
            if f'tenant="{tenant}"' in text and predicate in text:
                return text
            await asyncio.sleep(0.05)
    raise AssertionError(f"no {predicate} for {tenant} in /metrics")


async def test_metrics_count_requests_with_catalog_names_only(gateway: Gateway, mock_route: str) -> None:
    tenant_name = unique("metrics")
    _, key = await gateway.tenant(tenant_name)
    secret_customer, raw_model = unique("customer-secret"), unique("model-typed-by-a-client")
    headers = {"Authorization": f"Bearer {key}", "X-Customer-Id": secret_customer}
    async with httpx.AsyncClient(base_url=gateway.url, headers=headers) as client:
        for model in (mock_route, mock_route, raw_model):
            await client.post(
                "/v1/chat/completions", json={"model": model, "messages": [{"role": "user", "content": "hi"}]}
            )

    text = await scrape_until(gateway, tenant_name, 'status="404"')

    assert secret_customer not in text and raw_model not in text
    mine = [(name, labels, value) for name, labels, value in samples(text) if labels.get("tenant") == tenant_name]
    ok = next(v for n, labels, v in mine if n == "llmgw_requests_total" and labels["status"] == "200")
    refused = next(labels for n, labels, _ in mine if n == "llmgw_requests_total" and labels["status"] == "404")
    assert ok == 2 and refused["provider"] == refused["model"] == "none"
    assert any(
        n == "llmgw_tokens_total" and labels["kind"] == "output" and labels["model"] == "mock-1"
        for n, labels, _ in mine
    )
    assert any(n == "llmgw_cache_lookups_total" and labels["result"] == "miss" for n, labels, _ in mine)
    overhead = next(
        float(line.split()[-1]) for line in text.splitlines() if line.startswith("llmgw_gateway_overhead_seconds_count")
    )
    assert overhead >= 3 and "llmgw_usage_queue_depth" in text


async def test_every_label_value_is_bounded(gateway: Gateway, mock_route: str) -> None:
    _, key = await gateway.tenant()
    async with httpx.AsyncClient(base_url=gateway.url, headers={"Authorization": f"Bearer {key}"}) as client:
        await client.post(
            "/v1/chat/completions", json={"model": unique("junk"), "messages": [{"role": "user", "content": "x"}]}
        )
        tenants = {t["name"] for t in (await gateway.admin.get("/api/v1/admin/tenants")).json()}
        providers = (await gateway.admin.get("/api/v1/admin/providers")).json()
        routes = (await gateway.admin.get("/api/v1/admin/routes")).json()
        await asyncio.sleep(0.2)  # one flush: the records above are counted
        text = (await client.get("/metrics")).text
    models = {m for p in providers for m in p["models"]} | {t["model"] for r in routes for t in r["targets"]}
    allowed = {
        "tenant": tenants | {"none", "other"},
        "provider": {p["name"] for p in providers} | {"none", "other"},
        "model": models | {"none", "other"},
        "kind": {"input", "output", "cached", "reasoning"},
        "result": {"hit", "miss"},
        "reason": {"rate_limit", "budget"},
    }
    for name, labels, _ in samples(text):
        for label, value in labels.items():
            if label == "status":
                assert value.isdigit() and len(value) == 3
            elif label != "le":
                assert value in allowed[label], (name, label, value)


async def test_the_grafana_dashboard_queries_only_metrics_the_gateway_exports(gateway: Gateway) -> None:
    dashboard = (Path(__file__).parents[2] / "deploy/grafana/llm-gateway.json").read_text()
    async with httpx.AsyncClient(base_url=gateway.url) as client:
        exported = (await client.get("/metrics")).text
    families = {line.split()[2] for line in exported.splitlines() if line.startswith("# TYPE llmgw_")}
    queried = set(re.findall(r"llmgw_\w+", dashboard))
    unknown = {name for name in queried if name not in families and _histogram_of(name) not in families}
    assert queried and not unknown


def _histogram_of(sample: str) -> str:
    """A histogram's samples end in _bucket, _count or _sum; its TYPE line names the family."""
    for suffix in ("_bucket", "_count", "_sum"):
        if sample.endswith(suffix):
            return sample.removesuffix(suffix)
    return sample


def test_refusals_fallbacks_and_cache_hits_are_told_apart() -> None:
    metrics = PrometheusMetrics()
    labels = UsageLabels(tenant="acme", provider="main", model="m")
    nowhere = UsageLabels(tenant="acme", provider="none", model="none")
    at = datetime(2026, 11, 22, tzinfo=UTC)

    def record(request_id: str, **changes: object) -> UsageRecord:
        return UsageRecord(request_id=request_id, created_at=at, tenant_id="t", requested_model="x", **changes)  # type: ignore[arg-type]

    for each, where in [
        (record("a", status=429), nowhere),
        (record("b", status=402), nowhere),
        (record("c", cached=True), nowhere),
        (record("d", provider="main", status=503), labels),
        (record("d", provider="main", attempt=2), labels),
    ]:
        metrics.observe_usage(each, where)
    found = {
        (name, tuple(sorted(labels.items()))): value for name, labels, value in samples(metrics.render()[0].decode())
    }

    assert found[("llmgw_refusals_total", (("reason", "rate_limit"), ("tenant", "acme")))] == 1
    assert found[("llmgw_refusals_total", (("reason", "budget"), ("tenant", "acme")))] == 1
    assert found[("llmgw_cache_lookups_total", (("result", "hit"), ("tenant", "acme")))] == 1
    assert found[("llmgw_cache_lookups_total", (("result", "miss"), ("tenant", "acme")))] == 1  # d, once
    assert found[("llmgw_fallback_attempts_total", (("model", "m"), ("provider", "main"), ("tenant", "acme")))] == 1
