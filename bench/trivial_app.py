"""The baseline of bench/bench_api.py: the most trivial FastAPI endpoint."""

from fastapi import FastAPI

app = FastAPI()


@app.get("/ping")
def ping() -> dict[str, str]:
    return {"ping": "pong"}
