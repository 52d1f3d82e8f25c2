"""WSGI entry point for gunicorn: `gunicorn assess.wsgi:app`."""

from assess import create_app

app = create_app()
