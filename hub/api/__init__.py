"""The HTTP API (FastAPI): pydantic models in, pydantic models out, problem+json on error."""
