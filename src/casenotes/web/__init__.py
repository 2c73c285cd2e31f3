"""The web app: FastAPI pages (Jinja2 + HTMX) and a JSON API over the services."""

from casenotes.web.app import create_app

__all__ = ["create_app"]
