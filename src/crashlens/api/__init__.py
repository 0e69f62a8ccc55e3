"""JSON API and live dashboard (FastAPI).

``crashlens serve`` runs :func:`create_app` under uvicorn on 127.0.0.1:8050. Every engine
endpoint returns the same ``to_dict()`` JSON as the engine's CLI ``--json``.
"""

from __future__ import annotations

from crashlens.api.app import create_app

__all__ = ["create_app"]
