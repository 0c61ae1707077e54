"""The README's commands, as a newcomer runs them: `llm-gateway serve --demo` on the embedded SQLite."""

import asyncio
import os
import signal
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from openai import AsyncOpenAI

pytestmark = pytest.mark.integration


def cli() -> list[str]:
    script = Path(sys.executable).parent / "llm-gateway"
    return [str(script)] if script.exists() else [sys.executable, "-m", "entrypoints.cli"]


def env_for(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LLMGW_") and not k.endswith("_API_KEY")}
    env.pop("PYTHONUNBUFFERED", None)  # as in a shell or under systemd: the CLI itself must flush
    return {**env, "LLMGW_LOG_LEVEL": "WARNING", **extra}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_bad_configuration_stops_with_one_line(tmp_path: Path) -> None:
    done = subprocess.run(
        [*cli(), "migrate"],
        cwd=tmp_path,
        env=env_for(tmp_path, LLMGW_PORT="eighty"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0 and "LLMGW_PORT" in done.stderr and "Traceback" not in done.stderr


def test_migrate_and_create_tenant_print_the_key_once(tmp_path: Path) -> None:
    env = env_for(tmp_path)
    assert subprocess.run([*cli(), "migrate"], cwd=tmp_path, env=env, timeout=60).returncode == 0
    done = subprocess.run(
        [*cli(), "create-tenant", "billing"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    key = done.stdout.split("api key (shown once): ")[1].strip()
    assert key.startswith("lgw-")
    with sqlite3.connect(tmp_path / "llm_gateway.db") as db:
        stored = [row[0] for row in db.execute("SELECT key_hash FROM api_keys")]
    assert stored and key not in stored


async def test_serve_demo_answers_the_sdk_and_drains_usage_on_sigterm(tmp_path: Path) -> None:
    port = free_port()
    proc = await asyncio.create_subprocess_exec(
        *cli(),
        "serve",
        "--demo",
        cwd=tmp_path,
        # usage is flushed only every minute, so the rows below can only come from the shutdown drain
        env=env_for(tmp_path, LLMGW_PORT=str(port), LLMGW_USAGE_FLUSH_INTERVAL_S="60"),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        key = await asyncio.wait_for(_printed_key(proc), timeout=60)
        base = f"http://127.0.0.1:{port}"
        async with httpx.AsyncClient(base_url=base) as client:
            for _ in range(200):
                try:
                    if (await client.get("/health/ready")).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                await asyncio.sleep(0.05)
        sdk = AsyncOpenAI(base_url=f"{base}/v1", api_key=key, max_retries=0)
        answer = await sdk.chat.completions.create(model="demo", messages=[{"role": "user", "content": "Hello"}])
        assert answer.choices[0].message.content
        stream = await sdk.chat.completions.create(
            model="demo", messages=[{"role": "user", "content": "Hi"}], stream=True
        )
        assert "".join([c.choices[0].delta.content or "" async for c in stream if c.choices])
    finally:
        proc.send_signal(signal.SIGTERM)
        await asyncio.wait_for(proc.wait(), timeout=30)
    assert proc.returncode in (0, -signal.SIGTERM)  # uvicorn re-raises the signal after a graceful shutdown
    with sqlite3.connect(tmp_path / "llm_gateway.db") as db:
        assert db.execute("SELECT count(*) FROM usage_records WHERE status = 200").fetchone()[0] == 2


async def _printed_key(proc: asyncio.subprocess.Process) -> str:
    assert proc.stdout is not None
    while line := (await proc.stdout.readline()).decode():
        if line.strip().startswith("lgw-"):
            return line.strip()
    raise AssertionError("serve --demo printed no key")
