# The shop's image: gunicorn serves the web app; the same image runs the Celery worker and beat
# (docker-compose.yml). Build: docker build -t kz-shop .
FROM python:3.11-slim-bookworm

# The code runs from /app (settings find templates/, static/ and locale/ beside config/), not site-packages.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore \
    PYTHONPATH=/app \
    PYTHONTZPATH="" \
    DJANGO_ENV=production

# WeasyPrint (PDF invoices) needs Pango and HarfBuzz; the fonts cover Cyrillic, Kazakh letters included.
# gettext provides msgfmt for compilemessages.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
        libharfbuzz0b \
        libharfbuzz-subset0 \
        fontconfig \
        fonts-dejavu-core \
        fonts-liberation2 \
        shared-mime-info \
        gettext \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# Dependencies first, from the runtime lock file alone (exact versions, every file's hash checked), so this layer
# is rebuilt only when the lock changes. The shop itself is not pip-installed: it runs from /app (PYTHONPATH).
# PYTHONTZPATH is empty so time zones (Asia/Almaty) come from the locked tzdata package, not the base image.
COPY requirements.lock ./
RUN pip install --require-hashes -r requirements.lock && pip check

COPY . .

# Translations are compiled and static files collected (hashed and compressed for WhiteNoise) at build time.
# Production settings refuse to load without these variables, so this one command gets dummy values: nothing
# connects to them, and none is kept in the image (the real ones come from the environment at run time).
RUN export SECRET_KEY=build-time-only-not-a-secret-build-time-only-not-a-secret-0000 \
        DATABASE_URL=postgres://build:build@localhost:5432/build \
        REDIS_URL=redis://localhost:6379/0 \
        ALLOWED_HOSTS=localhost \
        SHOP_BASE_URL=https://build.invalid \
    && if find . -name '*.po' | grep -q .; then python manage.py compilemessages; fi \
    && python manage.py collectstatic --noinput

# Run as an unprivileged user. The code stays read-only to it; only media/ (uploads, a volume in compose)
# is writable.
RUN groupadd --system --gid 1000 shop \
    && useradd --system --uid 1000 --gid shop --home-dir /home/shop --create-home --shell /usr/sbin/nologin shop \
    && mkdir -p /app/media \
    && chown shop:shop /app/media
USER shop

EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "2"]
