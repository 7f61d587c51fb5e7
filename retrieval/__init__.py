"""The GPU crawl-and-annotate pipeline; built on :mod:`taxonomy`, never imported by it."""
