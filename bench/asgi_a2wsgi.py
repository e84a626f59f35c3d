"""Spendwise's ASGI application with HTTP through a2wsgi's WSGIMiddleware (a thread pool of
HTTP_THREADS, as config.runtime.http has) instead of config.runtime.http, for

    python bench/ledger.py --application config.asgi:application --application bench.asgi_a2wsgi:application
"""

from a2wsgi import WSGIMiddleware
from django.conf import settings

from config import asgi

asgi.application.application_mapping["http"] = WSGIMiddleware(asgi.django_wsgi, workers=settings.HTTP_THREADS)
application = asgi.application
