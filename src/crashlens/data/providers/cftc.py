"""CFTC Commitments of Traders via the public Socrata API → cot kind.

Datasets (futures only): Traders in Financial Futures ``gpe5-46if`` and Disaggregated
``72hh-3qpy``, at ``https://publicreporting.cftc.gov/resource/{dataset}.json``. Rows are
JSON objects whose numbers are strings::

    [{"report_date_as_yyyy_mm_dd": "2025-11-18T00:00:00.000",
      "cftc_contract_market_code": "13874A",
      "market_and_exchange_names": "E-MINI S&P 500 - CHICAGO MERCANTILE EXCHANGE",
      "open_interest_all": "2251234", "dealer_positions_long_all": "...", ...}]

Output columns follow :mod:`crashlens.data.schema`: ``open_interest`` then
``<category>_long`` / ``<category>_short`` for ``dealer, asset_mgr, lev_funds`` (TFF) or
``producer, swap, managed_money`` (disaggregated), in contracts, dated by the report's
"as of" Tuesday. Socrata field names are not uniform (``asset_mgr_positions_long`` has no
``_all``; the swap-short field is spelled ``swap__positions_short_all``), so each column
accepts a list of spellings.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

import numpy as np
import pydantic

from crashlens.data.providers._base import Provider, QueryParams, Transformed, daily_frame
from crashlens.data.providers._http import HttpResponse
from crashlens.data.schema import COT_DISAGG_CATEGORIES, COT_TFF_CATEGORIES, Kind


class Report(enum.StrEnum):
    """COT report family."""

    TFF = "tff"
    DISAGGREGATED = "disaggregated"


#: Socrata dataset id per report (futures only).
DATASETS: dict[Report, str] = {Report.TFF: "gpe5-46if", Report.DISAGGREGATED: "72hh-3qpy"}

#: Market → (CFTC contract market code, report).
MARKETS: dict[str, tuple[str, Report]] = {
    "ES": ("13874A", Report.TFF),
    "NQ": ("209742", Report.TFF),
    "RTY": ("239742", Report.TFF),
    "ZQ": ("045601", Report.TFF),
    "VX": ("1170E1", Report.TFF),
    "ZF": ("044601", Report.TFF),
    "ZN": ("043602", Report.TFF),
    "ZB": ("020601", Report.TFF),
    "EUR": ("099741", Report.TFF),
    "JPY": ("097741", Report.TFF),
    "BTC": ("133741", Report.TFF),
    "GC": ("088691", Report.DISAGGREGATED),
    "SI": ("084691", Report.DISAGGREGATED),
    "HG": ("085692", Report.DISAGGREGATED),
    "CL": ("067651", Report.DISAGGREGATED),
    "NG": ("023651", Report.DISAGGREGATED),
}

_DATE_FIELD = "report_date_as_yyyy_mm_dd"
_OI_FIELDS = ("open_interest_all",)
#: Output column → accepted Socrata field spellings, per report.
FIELDS: dict[Report, dict[str, tuple[str, ...]]] = {
    Report.TFF: {
        "dealer_long": ("dealer_positions_long_all", "dealer_positions_long"),
        "dealer_short": ("dealer_positions_short_all", "dealer_positions_short"),
        "asset_mgr_long": ("asset_mgr_positions_long", "asset_mgr_positions_long_all"),
        "asset_mgr_short": ("asset_mgr_positions_short", "asset_mgr_positions_short_all"),
        "lev_funds_long": ("lev_money_positions_long", "lev_money_positions_long_all"),
        "lev_funds_short": ("lev_money_positions_short", "lev_money_positions_short_all"),
    },
    Report.DISAGGREGATED: {
        "producer_long": ("prod_merc_positions_long", "prod_merc_positions_long_all"),
        "producer_short": ("prod_merc_positions_short", "prod_merc_positions_short_all"),
        "swap_long": ("swap_positions_long_all", "swap_positions_long"),
        "swap_short": ("swap__positions_short_all", "swap_positions_short_all",
                       "swap_positions_short"),
        "managed_money_long": ("m_money_positions_long_all", "m_money_positions_long"),
        "managed_money_short": ("m_money_positions_short_all", "m_money_positions_short"),
    },
}
_CATEGORIES = {Report.TFF: COT_TFF_CATEGORIES, Report.DISAGGREGATED: COT_DISAGG_CATEGORIES}


def cot_columns(report: Report) -> tuple[str, ...]:
    """Output columns of a report: ``open_interest`` then long/short per category."""
    cats = _CATEGORIES[report]
    return ("open_interest", *(f"{c}_{side}" for c in cats for side in ("long", "short")))


class CotQuery(QueryParams):
    """Query of the CFTC COT API.

    Attributes
    ----------
    market : str, optional
        Market code of :data:`MARKETS` (``ES``, ``GC`` ...); fixes contract code and report.
    contract_code : str, optional
        CFTC contract market code, for markets not in :data:`MARKETS` (then ``report`` too).
    report : Report, optional
        Report family; implied by ``market``.
    page_size : int
        Rows per Socrata page (``$limit``). Default 5000.
    """

    market: str | None = None
    contract_code: str | None = None
    report: Report | None = None
    page_size: int = pydantic.Field(default=5000, ge=1, le=50000)

    @pydantic.model_validator(mode="after")
    def _resolve(self) -> CotQuery:
        if self.market is not None:
            key = self.market.upper()
            if key not in MARKETS:
                raise ValueError(
                    f"unknown COT market '{self.market}' (known: {', '.join(sorted(MARKETS))})"
                )
            code, report = MARKETS[key]
            object.__setattr__(self, "market", key)
            object.__setattr__(self, "contract_code", self.contract_code or code)
            object.__setattr__(self, "report", self.report or report)
        if self.contract_code is None or self.report is None:
            raise ValueError("give a market, or both contract_code and report")
        return self


class CftcCotProvider(Provider[CotQuery]):
    """Weekly positioning from the CFTC's public reporting API (Socrata, no key)."""

    name = "cftc"
    env_var = "CRASHLENS_CFTC_URL"
    default_base_url = "https://publicreporting.cftc.gov"
    query_model = CotQuery
    default_rate = 2.0
    default_ttl_s = 12 * 3600.0
    licence = "CFTC (US government, public domain)"
    headers: ClassVar[Mapping[str, str]] = {"Accept": "application/json"}
    max_pages = 100

    def extract(self, query: CotQuery) -> list[HttpResponse]:
        """Page through the dataset filtered on the contract code and window."""
        assert query.report is not None
        url = f"{self.base_url}/resource/{DATASETS[query.report]}.json"
        where = f"cftc_contract_market_code='{query.contract_code}'"
        if query.start is not None:
            where += f" AND {_DATE_FIELD} >= '{query.start.isoformat()}T00:00:00.000'"
        if query.end is not None:
            where += f" AND {_DATE_FIELD} <= '{query.end.isoformat()}T00:00:00.000'"
        responses: list[HttpResponse] = []
        for page in range(self.max_pages):
            params = {
                "$where": where,
                "$order": f"{_DATE_FIELD} ASC",
                "$limit": query.page_size,
                "$offset": page * query.page_size,
            }
            resp = self.get(url, params)
            responses.append(resp)
            rows = self._rows(resp)
            if len(rows) < query.page_size:
                break
        return responses

    def _rows(self, resp: HttpResponse) -> list[dict[str, Any]]:
        doc = self.parse_json(resp)
        if isinstance(doc, dict) and doc.get("error"):
            raise self.error(resp, f"Socrata error: {doc.get('message', doc)}")
        if not isinstance(doc, list) or not all(isinstance(r, dict) for r in doc):
            raise self.error(resp, "unexpected JSON: expected a list of row objects")
        return doc

    def transform(self, query: CotQuery, responses: Sequence[HttpResponse]) -> Transformed:
        """Map Socrata rows onto the cot columns."""
        assert query.report is not None
        fields = {"open_interest": _OI_FIELDS, **FIELDS[query.report]}
        columns = cot_columns(query.report)
        dates: list[str] = []
        values: dict[str, list[float]] = {c: [] for c in columns}
        names: set[str] = set()
        for resp in responses:
            for i, row in enumerate(self._rows(resp)):
                raw_date = row.get(_DATE_FIELD)
                if not isinstance(raw_date, str) or len(raw_date) < 10:
                    raise self.error(resp, f"row {i}: bad or missing '{_DATE_FIELD}' {raw_date!r}")
                code = row.get("cftc_contract_market_code")
                if code is not None and str(code).strip() != query.contract_code:
                    raise self.error(
                        resp, f"row {i}: contract code {code!r} is not the requested "
                        f"{query.contract_code!r}"
                    )
                for col in columns:
                    field = next((f for f in fields[col] if f in row), None)
                    if field is None:
                        raise self.error(
                            resp, f"row {i} ({raw_date[:10]}): field for '{col}' missing "
                            f"(tried {', '.join(fields[col])})"
                        )
                    try:
                        values[col].append(float(row[field]))
                    except (TypeError, ValueError):
                        raise self.error(
                            resp, f"row {i} ({raw_date[:10]}), field '{field}': "
                            f"{row[field]!r} is not a number"
                        ) from None
                dates.append(raw_date[:10])
                if row.get("market_and_exchange_names"):
                    names.add(str(row["market_and_exchange_names"]))
        warnings: list[str] = []
        try:
            frame = daily_frame(
                dates,
                {c: np.asarray(v) for c, v in values.items()},
                start=query.start,
                end=query.end,
                warnings=warnings,
                what="report rows",
            )
        except (ValueError, TypeError) as exc:
            raise self.error(responses[0], f"bad report date: {exc}") from exc
        return Transformed(
            frame=frame,
            kind=Kind.COT.value,
            symbol=str(query.contract_code),
            warnings=warnings,
            assumptions={"report": query.report.value, "futures_only": True},
            meta={"market": query.market, "market_names": sorted(names)},
        )
