"""The server-rendered web portal (FastAPI + Jinja2 + htmx)."""
