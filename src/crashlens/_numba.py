"""numba when it is installed, plain Python when it is not (the way ``arch`` makes numba optional).

Every kernel module imports its decorator and loop helper from here instead of from numba::

    from crashlens import _numba as nb

    @nb.njit(parallel=True, cache=True)
    def kernel_nb(x, out):
        for i in nb.prange(x.shape[0]):
            ...

With numba installed, :func:`njit` and :data:`prange` are numba's own. Without it the package
still imports: :func:`njit` returns the function unchanged (its options are ignored) and
:data:`prange` is :func:`range`, so a ``*_nb`` kernel still runs, as slow plain Python, with the
same results. The engines never call them then: :func:`crashlens.config.numba_enabled` is False
and the dispatchers pick the vectorised numpy twins (the same switch as
``CRASHLENS_NO_NUMBA=1``). numba stays a dependency of the package, for speed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

_numba: Any
try:
    import numba as _numba
except ImportError:  # the package must import, and compute, without numba
    _numba = None

#: Whether numba could be imported (the kill switch ``CRASHLENS_NO_NUMBA`` is separate: see
#: :func:`crashlens.config.numba_enabled`).
NUMBA_AVAILABLE: bool = _numba is not None


def njit(*args: Any, **kwargs: Any) -> Any:
    """``numba.njit`` (bare ``@njit`` or ``@njit(**options)``), or the identity without numba."""
    if _numba is not None:
        return _numba.njit(*args, **kwargs)
    if len(args) == 1 and callable(args[0]) and not kwargs:
        return args[0]

    def keep(func: Callable[..., Any]) -> Callable[..., Any]:
        return func

    return keep


#: ``numba.prange`` (a parallel loop inside ``njit(parallel=True)``), or :func:`range`.
prange: Any = _numba.prange if _numba is not None else range
