"""Notes of the report layer (codes ``report.*``): what a section says about its own parts.

A section that leaves out one of its parts (a chart of levels over time, the replay of the
window) says why with one of these notes; the engine's own error message rides along as the
``error`` parameter. Rendered in the report's language with :meth:`crashlens.notes.Note.text`.
"""

from __future__ import annotations

from crashlens.notes import register

MESSAGES = register({
    "report.cta_levels_failed": (
        "CTA levels over time: {error}",
        "CTA 触发位随时间变化：{error}"),
    "report.crypto_levels_failed": (
        "crypto levels over time: {error}",
        "加密货币价格与未平仓合约随时间变化：{error}"),
    "report.crypto_replay_failed": (
        "crypto replay of the window: {error}",
        "窗口期加密货币强平回放：{error}"),
})

__all__ = ["MESSAGES"]
