"""The WSGI application. gunicorn.conf.py preloads it in the master process: the settings, every app, every URL
and the API are imported once, before the workers fork, so a worker recycled after its ``max_requests`` serves its
first request at once instead of spending seconds importing. Nothing here opens a database or Redis connection
(a connection made before the fork would be shared by the workers): core/tests/test_production.py checks it."""

import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gonghui.settings")
application = get_wsgi_application()
get_resolver().url_patterns  # noqa: B018 — import the URLconf (and the API it mounts) now, not in a first request
