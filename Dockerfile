FROM node:20-bookworm-slim AS frontend
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY frontend frontend
RUN mkdir -p static && npm run build

FROM python:3.11-slim-bookworm
RUN apt-get update && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml ./
COPY . .
COPY --from=frontend /app/static/build static/build
RUN pip install --no-cache-dir -e . && DEBUG=true python manage.py collectstatic --no-input
RUN useradd --system --home /app portal && chown -R portal /app/var 2>/dev/null || true
USER portal
EXPOSE 8000
