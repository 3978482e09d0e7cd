"""The WSGI application. gunicorn.conf.py preloads it in the master process: the settings, every app, every URL
and the API are imported once, before the workers fork, so a worker recycled after its ``max_requests`` serves its
first request at once instead of spending seconds importing, and the objects imported are frozen out of the
garbage collector (gc.freeze, Python's advice for a server that forks). Nothing here opens a database or Redis
connection (one made before the fork would be shared by the workers): core/tests/test_production.py checks it."""

import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gonghui.settings")
application = get_wsgi_application()
get_resolver().url_patterns  # noqa: B018 — import the URLconf (and the API it mounts) now, not in a first request
# What was imported lives as long as the process: keep it out of the garbage collector's passes, which would
# otherwise walk (and, in a forked worker, copy) every page of it again and again.
gc.freeze()
