"""The HTTP service over a store (FastAPI); built on :mod:`taxonomy`, never imported by it."""
