# syntax=docker/dockerfile:1
# Dresbach Assistente as an image: a builder stage installs exactly what uv.lock says (the
# application's dependencies, uvicorn[standard] and psycopg[binary] among them; none of the dev
# extra) and the package itself, built as a wheel, into a virtualenv; the slim runtime stage gets
# only that virtualenv and runs as a non-root user. Only src/ goes in: no tests, no fakes, no bench.
#
#   docker build -t dresbach .
#   docker run -p 8000:8000 --env-file .env dresbach          # HTTP and the workers, one process
#
# compose.yaml runs the same image as separate app, worker and migrate services on PostgreSQL.
ARG PYTHON_VERSION=3.11

FROM python:${PYTHON_VERSION}-slim AS builder
ARG UV_VERSION=0.13.9
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    UV_NO_CACHE=1 \
    UV_PYTHON_DOWNLOADS=never \
    UV_PROJECT_ENVIRONMENT=/opt/dresbach
WORKDIR /build
COPY pyproject.toml uv.lock README.md ./
COPY src ./src
RUN python -m pip install "uv==${UV_VERSION}" \
 && python -m venv /opt/dresbach \
 && uv sync --locked --no-dev --no-editable --compile-bytecode

FROM python:${PYTHON_VERSION}-slim AS runtime
ENV PATH=/opt/dresbach/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DRESBACH_LOG_FORMAT=json \
    DRESBACH_PORT=8000
RUN groupadd --system --gid 10001 dresbach \
 && useradd --system --uid 10001 --gid dresbach --home-dir /app --create-home dresbach \
 && install -d -o dresbach -g dresbach /app/var
COPY --from=builder /opt/dresbach /opt/dresbach
WORKDIR /app
USER dresbach:dresbach
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]
CMD ["dresbach", "serve", "--host", "0.0.0.0", "--port", "8000"]
