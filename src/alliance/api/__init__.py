"""The REST API (``/api/v1``): FastAPI routes that translate HTTP to use cases and back."""
