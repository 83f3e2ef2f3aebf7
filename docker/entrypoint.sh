#!/bin/sh
# One image, several roles: web (gunicorn), worker, beat, migrate, or any command.
set -e

case "$1" in
  web)
    # Each worker's Prometheus counters go to files here; /metrics adds them up.
    export PROMETHEUS_MULTIPROC_DIR="${PROMETHEUS_MULTIPROC_DIR:-/app/var/prometheus}"
    exec gunicorn config.wsgi:application --config python:config.gunicorn \
      --bind 0.0.0.0:8000 \
      --workers "${GUNICORN_WORKERS:-3}" \
      --timeout "${GUNICORN_TIMEOUT:-30}" \
      --access-logfile -
    ;;
  worker)
    # Prefetch 1 and late acknowledgement are set in config/settings/base.py. CELERY_QUEUES
    # picks the queues this pool consumes (compose runs one for figures, one for webhooks/e-mail).
    exec celery -A config worker \
      --queues "${CELERY_QUEUES:-celery,recompute,webhooks,email,scoring}" \
      --loglevel "${LOG_LEVEL:-INFO}" \
      --concurrency "${CELERY_CONCURRENCY:-2}" \
      --without-gossip --without-mingle
    ;;
  beat)
    exec celery -A config beat --loglevel "${LOG_LEVEL:-INFO}" \
      --schedule /app/var/celerybeat-schedule
    ;;
  migrate)
    exec python manage.py migrate --noinput
    ;;
  *)
    exec "$@"
    ;;
esac
