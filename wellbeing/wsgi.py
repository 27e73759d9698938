"""gunicorn entry point: `gunicorn wellbeing.wsgi:app`."""
from . import create_app

app = create_app()
