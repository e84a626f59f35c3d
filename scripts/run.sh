#!/usr/bin/env bash
# Prepares the database and starts Spendwise: daphne on 127.0.0.1:$PORT (default 8000), plus a Celery
# worker and beat when CELERY_BROKER_URL is set. Called by `make run [PORT=8001]` with .venv on PATH.
set -euo pipefail
cd "$(dirname "$0")/.."

port="${PORT:-8000}"
if ! [[ "$port" =~ ^[0-9]{1,5}$ ]] || [ "$port" -lt 1 ] || [ "$port" -gt 65535 ]; then
    echo "PORT must be a number from 1 to 65535, not '$port' (e.g. make run PORT=8001)." >&2
    exit 2
fi

python manage.py migrate --no-input
if [ "${SEED_DEMO:-1}" != "0" ]; then
    python manage.py seed_demo
fi

debug=$(DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-config.settings}" \
    python -c 'import django; django.setup(); from django.conf import settings; print(int(settings.DEBUG))')
if [ "$debug" = "0" ]; then
    python manage.py collectstatic --no-input --verbosity 0
fi

# Every process runs in the background and the first one to exit stops the others,
# so Ctrl-C, a TERM from a supervisor, or a crashed worker all end the whole product.
# Ctrl-C and TERM are the way to stop it, so they end with status 0 (make then prints no "Error 130");
# a process that dies on its own ends the script with its status.
running=()
stop_all() {
    if [ ${#running[@]} -gt 0 ]; then
        kill "${running[@]}" 2>/dev/null || true
        wait "${running[@]}" 2>/dev/null || true
    fi
}
trap stop_all EXIT
trap 'echo "Stopping Spendwise ..."; exit 0' INT TERM

if [ -n "${CELERY_BROKER_URL:-}" ]; then
    celery -A config worker --loglevel "${CELERY_LOG_LEVEL:-INFO}" &
    running+=($!)
    celery -A config beat --loglevel "${CELERY_LOG_LEVEL:-INFO}" &
    running+=($!)
fi
# The C allocator, so memory comes back after a wave of WebSockets closes (config/runtime/socket_memory.py).
PYTHONMALLOC=malloc daphne -b 127.0.0.1 -p "$port" config.asgi:application &
running+=($!)
echo "Spendwise is starting on http://127.0.0.1:$port/ (Ctrl-C stops it)"
wait -n
