"""Notes of the report layer (codes ``report.*``): what a section says about its own parts.

A section that leaves out one of its parts (a chart of levels over time, the replay of the
window) says why with one of these notes. The reason is the engine's error: when it carries a
crypto :class:`~crashlens.notes.Note` (the errors :mod:`crashlens.crypto` raises do), the
note's code is ``"<report code>+<reason code>"``, registered here for every pair, so both
languages render whole (:func:`wrap`); any other reason stays the ``{error}`` parameter, in the
engine's English. Rendered in the report's language with :meth:`crashlens.notes.Note.text`.
"""

from __future__ import annotations

from crashlens.crypto.messages import REASONS as CRYPTO_REASONS
from crashlens.notes import Note, register

#: Notes around a reason (the ``{error}`` field): a part of a section that could not be built.
WRAPPERS: dict[str, tuple[str, str]] = {
    "report.cta_levels_failed": (
        "CTA levels over time: {error}",
        "CTA 触发位随时间变化：{error}"),
    "report.crypto_levels_failed": (
        "crypto levels over time: {error}",
        "加密货币价格与未平仓合约随时间变化：{error}"),
    "report.crypto_replay_failed": (
        "crypto replay of the window: {error}",
        "窗口期加密货币强平回放：{error}"),
}

MESSAGES = register(WRAPPERS)
# every wrapper around every crypto reason, so a crypto engine's reason renders in Chinese too
MESSAGES.update(register({
    f"{w}+{r}": (wen.replace("{error}", ren), wzh.replace("{error}", rzh))
    for w, (wen, wzh) in WRAPPERS.items() for r, (ren, rzh) in CRYPTO_REASONS.items()}))


def reason(exc: BaseException) -> str:
    """The message of an engine's error: its :class:`Note` when it carries one, else its text.

    A note stays a note, so the builder renders it in the report's language.
    """
    first = exc.args[0] if exc.args else None
    return first if isinstance(first, Note) else str(exc)


def wrap(code: str, exc: BaseException) -> Note:
    """Note ``code`` (a :data:`WRAPPERS` code) giving ``exc`` as the reason.

    Parameters
    ----------
    code : str
        The report's wrapper code.
    exc : BaseException
        The engine's error; its message is the reason.

    Returns
    -------
    Note
        ``"<code>+<reason code>"`` with the reason's parameters when the error carries a
        registered note, else ``code`` with the error's text as ``error``.
    """
    inner = reason(exc)
    if isinstance(inner, Note) and f"{code}+{inner.code}" in MESSAGES:
        return Note(f"{code}+{inner.code}", **inner.params)
    return Note(code, error=str(inner))


__all__ = ["MESSAGES", "WRAPPERS", "reason", "wrap"]
