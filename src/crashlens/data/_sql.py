"""Read-only SQL over the store: ``crashlens.data.sql("SELECT ...")``.

Every series of the live store version is a view named after its catalog name (``SPX``,
``UST10Y``, ``COT_ES`` ...; names are case-insensitive, columns as in
:mod:`crashlens.data.schema` plus ``date``), beside the tables ``catalog``, ``coverage`` and
``notes``. Queries run on the store's one DuckDB connection, which is opened read-only with
file access limited to the store folder, and only a single SELECT (``WITH ...`` included) is
accepted: a query cannot change the store or touch other files.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import duckdb
import pandas as pd

from crashlens.errors import DataError


def _one_line(exc: BaseException) -> str:
    """DuckDB's message without its multi-line caret drawing, on one line."""
    lines = []
    for line in str(exc).splitlines():
        if line.startswith("LINE "):
            break  # the query echoed with a caret under the error: not needed on one line
        if line.strip():
            lines.append(line.strip())
    return " ".join(lines)


def check_select(query: str) -> None:
    """Refuse anything but one read-only SELECT statement.

    Raises
    ------
    DataError
        A syntax error, several statements, or a statement that is not a SELECT (``COPY``,
        ``CREATE``, ``INSERT``, ``ATTACH``, ``SET``, ``PRAGMA`` ...), named in the message.
    """
    if not isinstance(query, str) or not query.strip():
        raise DataError("SQL query is empty; write one SELECT statement")
    try:
        statements = duckdb.extract_statements(query)
    except duckdb.Error as exc:
        raise DataError(f"SQL: {_one_line(exc)}") from exc
    if len(statements) != 1:
        raise DataError(f"SQL: one statement expected, got {len(statements)}")
    kind = statements[0].type
    if kind != duckdb.StatementType.SELECT:
        raise DataError(f"SQL: only SELECT (or WITH ... SELECT) queries are allowed, not "
                        f"{kind.name}; the store is read-only")


def sql(query: str, params: Sequence[Any] | None = None) -> pd.DataFrame:
    """Run a read-only SQL query over the store and return the result as a DataFrame.

    Parameters
    ----------
    query : str
        One SELECT statement, e.g.
        ``"SELECT date, close FROM SPX WHERE date >= '2025-11-01' ORDER BY date"``. Each
        catalog series is a view of that name; ``catalog``, ``coverage`` and ``notes`` describe
        them. Values are in the series' units (``crashlens data list``); dates are days.
    params : sequence, optional
        Values for ``?`` placeholders in ``query`` (safer than formatting them into the text).

    Returns
    -------
    DataFrame
        The query's result, columns as selected (a ``date`` column stays a column).

    Raises
    ------
    DataError
        One line: a syntax error, a statement other than SELECT, an unknown series (with
        DuckDB's nearest-name suggestion), an unknown column, or any other query error.
    """
    check_select(query)
    from crashlens.data import store  # the package imports this module

    with store().connection() as con:
        try:
            return con.execute(query, list(params or [])).df()
        except duckdb.CatalogException as exc:
            raise DataError(f"SQL: {_one_line(exc)} (series are views named after the catalog: "
                            "see 'crashlens data list')") from exc
        except duckdb.Error as exc:
            raise DataError(f"SQL: {_one_line(exc)}") from exc
