# syntax=docker/dockerfile:1
# Dresbach Assistente as an image: a builder stage turns the source into a wheel and installs it
# (with its dependencies, uvicorn[standard] and psycopg[binary] among them) into a virtualenv; the
# slim runtime stage gets only that virtualenv and runs as a non-root user.
#
#   docker build -t dresbach .
#   docker run -p 8000:8000 --env-file .env dresbach          # HTTP and the workers, one process
#
# compose.yaml runs the same image as separate app, worker and migrate services on PostgreSQL.
ARG PYTHON_VERSION=3.11

FROM python:${PYTHON_VERSION}-slim AS builder
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /build
COPY pyproject.toml README.md ./
COPY src ./src
RUN python -m venv /opt/dresbach \
 && python -m pip wheel --no-deps --wheel-dir /build/dist . \
 && /opt/dresbach/bin/pip install /build/dist/dresbach-*.whl

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
