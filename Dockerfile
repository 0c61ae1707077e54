# syntax=docker/dockerfile:1
# Build stage: wheels for the gateway and its dependencies.
FROM python:3.11-slim AS build
WORKDIR /src
RUN pip install --no-cache-dir --upgrade pip
COPY pyproject.toml README.md ./
COPY src ./src
RUN pip wheel --no-cache-dir --wheel-dir /wheels .

# Runtime stage: no compiler, no sources, a non-root user.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    LLMGW_HOST=0.0.0.0 LLMGW_PORT=8200 \
    LLMGW_DATABASE_URL=sqlite+aiosqlite:////data/llm_gateway.db
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir /wheels/*.whl && rm -rf /wheels \
    && useradd --system --uid 10001 --home-dir /data --create-home gateway
USER gateway
WORKDIR /data
EXPOSE 8200
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD python -c "import os,urllib.request; urllib.request.urlopen(f'http://127.0.0.1:{os.environ.get(\"LLMGW_PORT\",\"8200\")}/health/live', timeout=2)" || exit 1
ENTRYPOINT ["llm-gateway"]
CMD ["serve", "--no-migrate"]
