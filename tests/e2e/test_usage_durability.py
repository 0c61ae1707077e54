"""The usage log under stress: SIGTERM during load, and the database cut during load then restored.

The database is cut with a TCP proxy between the gateway and Postgres (never by stopping the shared
service): `cut()` drops every connection and stops listening, `restore()` listens again."""

import asyncio
import contextlib
import itertools
import signal
import sqlite3
import subprocess
from pathlib import Path

import asyncpg
import httpx
import pytest
from sqlalchemy.engine import make_url

from entrypoints.http.app import create_app
from entrypoints.ioc.container import make_container
from tests.e2e.conftest import ADMIN_KEY, serve, settings_for, unique
from tests.e2e.test_cli import _printed_key, cli, env_for, free_port
from tests.support.services import migrated_database

pytestmark = pytest.mark.integration

CHAT = {"model": "demo", "messages": [{"role": "user", "content": "count me"}]}


class TcpProxy:
    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.port = free_port()
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()

    async def restore(self) -> None:
        self._server = await asyncio.start_server(self._pipe, "127.0.0.1", self.port)

    async def cut(self) -> None:
        assert self._server is not None
        self._server.close()
        for writer in list(self._writers):
            writer.transport.abort()
        await self._server.wait_closed()

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        up_reader, up_writer = await asyncio.open_connection(*self.target)
        self._writers |= {writer, up_writer}

        async def copy(src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
            with contextlib.suppress(OSError, asyncio.CancelledError):
                while data := await src.read(65536):
                    dst.write(data)
                    await dst.drain()
            dst.transport.abort()

        await asyncio.gather(copy(reader, up_writer), copy(up_reader, writer))
        self._writers -= {writer, up_writer}


async def load(client: httpx.AsyncClient, prefix: str, answered: list[str], stop: asyncio.Event) -> None:
    """Requests one after another until told to stop or the gateway goes away; keeps the answered ids."""
    for n in itertools.count():
        if stop.is_set():
            return
        request_id = f"{prefix}-{n}"
        try:
            resp = await client.post("/v1/chat/completions", json=CHAT, headers={"X-Request-Id": request_id})
        except httpx.TransportError:
            return
        if resp.status_code == 200:
            answered.append(request_id)


async def test_sigterm_during_load_loses_no_record(tmp_path: Path) -> None:
    port = free_port()
    env = env_for(tmp_path, LLMGW_PORT=str(port), LLMGW_USAGE_FLUSH_INTERVAL_S="60", LLMGW_USAGE_BATCH_SIZE="50")
    proc = await asyncio.create_subprocess_exec(
        *cli(), "serve", "--demo", cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    answered: list[str] = []
    try:
        key = await asyncio.wait_for(_printed_key(proc), timeout=60)
        headers = {"Authorization": f"Bearer {key}"}
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", headers=headers, timeout=10) as client:
            for _ in range(200):
                with contextlib.suppress(httpx.TransportError):
                    if (await client.get("/health/ready")).status_code == 200:
                        break
                await asyncio.sleep(0.05)
            stop = asyncio.Event()
            workers = [asyncio.create_task(load(client, f"w{i}", answered, stop)) for i in range(8)]
            while len(answered) < 120:  # past two size-triggered batches: some written, some queued
                await asyncio.sleep(0.01)
            proc.send_signal(signal.SIGTERM)
            await asyncio.wait_for(asyncio.gather(*workers), timeout=30)
    finally:
        if proc.returncode is None:
            proc.send_signal(signal.SIGTERM)
        await asyncio.wait_for(proc.wait(), timeout=30)
    with sqlite3.connect(tmp_path / "llm_gateway.db") as db:
        rows = db.execute("SELECT request_id FROM usage_records WHERE status = 200").fetchall()
    logged = [r[0] for r in rows]
    assert len(logged) == len(set(logged))
    assert set(answered) <= set(logged) and len(answered) >= 120


async def test_database_cut_during_load_then_restored_every_record_arrives(postgres_server_url: str) -> None:
    async with migrated_database(postgres_server_url) as direct_url:
        url = make_url(direct_url)
        proxy = TcpProxy(url.host or "127.0.0.1", url.port or 5432)
        await proxy.restore()
        proxied = url.set(port=proxy.port).render_as_string(hide_password=False)
        settings = settings_for(proxied, None, usage_retry_delay_s=0.05, catalog_refresh_s=0.1)
        async for base in serve(create_app(make_container(settings), settings)):
            async with httpx.AsyncClient(base_url=base, timeout=10) as client:
                answered = await _load_across_a_cut(client, proxy)
        rows = await _fetch(direct_url, "SELECT request_id FROM usage_records")
    logged = [r["request_id"] for r in rows]
    assert sorted(logged) == sorted(answered)


async def _load_across_a_cut(client: httpx.AsyncClient, proxy: TcpProxy) -> list[str]:
    admin = {"Authorization": f"Bearer {ADMIN_KEY}"}
    provider = unique("mock")
    assert (
        await client.post("/api/v1/admin/providers", headers=admin, json={"name": provider, "kind": "mock"})
    ).is_success
    route = {"alias": "demo", "targets": [{"provider": provider, "model": "mock-1"}]}
    assert (await client.post("/api/v1/admin/routes", headers=admin, json=route)).is_success
    created = await client.post("/api/v1/admin/tenants", headers=admin, json={"name": unique("t")})
    client.headers["Authorization"] = f"Bearer {created.json()['api_key']['key']}"
    answered: list[str] = []
    stop = asyncio.Event()
    workers = [asyncio.create_task(load(client, f"w{i}", answered, stop)) for i in range(4)]
    await asyncio.sleep(0.2)
    await proxy.cut()
    served_before_cut = len(answered)
    await asyncio.sleep(0.5)
    assert len(answered) > served_before_cut  # the gateway kept serving from memory
    metrics = (await client.get("/metrics")).text
    assert _gauge(metrics, "llmgw_usage_queue_depth") > 0
    await proxy.restore()
    await asyncio.sleep(0.2)
    stop.set()
    await asyncio.gather(*workers)
    for _ in range(100):  # every record written, then nothing waits
        if _gauge((await client.get("/metrics")).text, "llmgw_usage_queue_depth") == 0:
            break
        await asyncio.sleep(0.05)
    assert _gauge((await client.get("/metrics")).text, "llmgw_usage_dropped_total") == 0
    return answered


def _gauge(metrics: str, name: str) -> float:
    return next(float(line.split()[-1]) for line in metrics.splitlines() if line.startswith(name + " "))


async def _fetch(url: str, query: str) -> list[asyncpg.Record]:
    conn = await asyncpg.connect(url.replace("postgresql+asyncpg", "postgresql"))
    try:
        return list(await conn.fetch(query))
    finally:
        await conn.close()
