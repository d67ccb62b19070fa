# Image for web, worker and beat (see docker-compose.yml).
FROM python:3.12-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    UV_PROJECT_ENVIRONMENT=/opt/venv PATH=/opt/venv/bin:$PATH

# WeasyPrint needs pango; gettext compiles the translations.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 gettext \
 && rm -rf /var/lib/apt/lists/*

RUN pip install --no-cache-dir uv==0.13.9
WORKDIR /app
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-install-project

COPY . .
RUN python manage.py compilemessages --ignore '/opt/venv/*' \
 && useradd --system --home /app innovaction && mkdir -p /data/media && chown -R innovaction /data /app/var 2>/dev/null || true
USER innovaction
EXPOSE 8000
CMD ["gunicorn", "innovaction.wsgi:application", "--bind", "0.0.0.0:8000"]
