"""WSGI entry point (gunicorn loti_portal.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "loti_portal.settings")

application = get_wsgi_application()
