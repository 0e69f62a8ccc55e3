"""Messages of the data layer (English, Chinese): see :mod:`crashlens.notes`."""

from __future__ import annotations

from crashlens.notes import register

MESSAGES = register({
    "data.stale_series": (
        "{series} ends {end}, {days} days before the as-of date {asof}: its value is as of "
        "{end}, not current",
        "{series} 数据截至 {end}，比截至日 {asof} 早 {days} 天：所示数值为 {end} 的值，并非最新"),
})
