"""Gateway metrics in Prometheus' format, on a registry of their own (one per container).

Label values come from `UsageLabels` (catalog names, `other`, `none`), status codes and fixed
words: their number is bounded by what admins configure, never by what clients send."""

from __future__ import annotations

from collections.abc import Iterator

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector

from application.ports.metrics import GatewayMetrics, MetricsExporter, QueueStats, UsageLabels
from domain.usage import UsageRecord

LATENCY_BUCKETS_S = (0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30, 60, 120, 300)
OVERHEAD_BUCKETS_S = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1)
TARGET = ("tenant", "provider", "model")
# A request no vendor saw, refused by the gateway's own limits: status -> reason.
REFUSALS = {429: "rate_limit", 402: "budget"}


class _QueueCollector(Collector):
    def __init__(self) -> None:
        self.queues: list[QueueStats] = []

    def collect(self) -> Iterator[GaugeMetricFamily | CounterMetricFamily]:
        waiting = GaugeMetricFamily("llmgw_usage_queue_depth", "Usage records waiting to be written")
        waiting.add_metric([], sum(q.pending for q in self.queues))
        dropped = CounterMetricFamily("llmgw_usage_dropped", "Usage records dropped because the queue was full")
        dropped.add_metric([], sum(q.dropped for q in self.queues))
        yield waiting
        yield dropped


class PrometheusMetrics(GatewayMetrics, MetricsExporter):
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self._requests = Counter(
            "llmgw_requests", "Vendor attempts and refused requests", [*TARGET, "status"], registry=r
        )
        self._latency = Histogram(
            "llmgw_request_latency_seconds",
            "Attempt latency",
            ["provider", "model"],
            buckets=LATENCY_BUCKETS_S,
            registry=r,
        )
        self._ttft = Histogram(
            "llmgw_time_to_first_token_seconds", "Streams: time to the first token", ["provider", "model"],
            buckets=LATENCY_BUCKETS_S, registry=r,
        )  # fmt: skip
        self._tokens = Counter("llmgw_tokens", "Tokens as the vendors reported them", [*TARGET, "kind"], registry=r)
        self._cost = Counter("llmgw_cost_usd", "Cost of priced attempts", TARGET, registry=r)
        self._unpriced = Counter("llmgw_unpriced_attempts", "Attempts with no known price", TARGET, registry=r)
        self._cache = Counter("llmgw_cache_lookups", "Response cache hits and misses", ["tenant", "result"], registry=r)
        self._refusals = Counter("llmgw_refusals", "Requests refused by a limit", ["tenant", "reason"], registry=r)
        self._fallbacks = Counter("llmgw_fallback_attempts", "Attempts after the first", TARGET, registry=r)
        self._cooldowns = Counter("llmgw_provider_cooldowns", "Providers put in cool-down", ["provider"], registry=r)
        self._overhead = Histogram(
            "llmgw_gateway_overhead_seconds", "Request time not spent waiting on vendors",
            buckets=OVERHEAD_BUCKETS_S, registry=r,
        )  # fmt: skip
        self._queues = _QueueCollector()
        r.register(self._queues)

    def observe_usage(self, record: UsageRecord, labels: UsageLabels) -> None:
        target = (labels.tenant, labels.provider, labels.model)
        self._requests.labels(*target, str(record.status)).inc()
        if record.provider is not None:
            self._latency.labels(labels.provider, labels.model).observe(record.latency_ms / 1000)
        if record.ttft_ms is not None:
            self._ttft.labels(labels.provider, labels.model).observe(record.ttft_ms / 1000)
        usage = record.usage
        for kind, count in (
            ("input", usage.input_tokens), ("output", usage.output_tokens),
            ("cached", usage.cached_tokens), ("reasoning", usage.reasoning_tokens),
        ):  # fmt: skip
            if count:
                self._tokens.labels(*target, kind).inc(count)
        if record.cost_usd is None:
            self._unpriced.labels(*target).inc()
        elif record.cost_usd:
            self._cost.labels(*target).inc(float(record.cost_usd))
        if record.cached or (record.attempt == 1 and record.provider is not None):  # answered, or sent on
            self._cache.labels(labels.tenant, "hit" if record.cached else "miss").inc()
        if record.attempt > 1:
            self._fallbacks.labels(*target).inc()
        if record.provider is None and record.status in REFUSALS:
            self._refusals.labels(labels.tenant, REFUSALS[record.status]).inc()

    def observe_overhead(self, seconds: float) -> None:
        self._overhead.observe(max(seconds, 0.0))

    def observe_cooldown(self, provider: str) -> None:
        self._cooldowns.labels(provider).inc()

    def watch_queue(self, queue: QueueStats) -> None:
        self._queues.queues.append(queue)

    def render(self) -> tuple[bytes, str]:
        return generate_latest(self.registry), CONTENT_TYPE_LATEST

