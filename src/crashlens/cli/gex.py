"""``crashlens gex CHAIN_FILE``: dealer gamma exposure of an option-chain file."""

from __future__ import annotations

import typer

from crashlens.cli._common import AsJson, DataOpt, dump_json, emit, progress, reads_data


@reads_data
def gex_cmd(
    chain_file: str = typer.Argument(
        ..., help="Option chain: a CBOE quotedata.csv export or a generic CSV/Parquet chain."),
    spot: float | None = typer.Option(
        None, "--spot", help="Underlying price (default: the chain's own quote)."),
    rate: float = typer.Option(
        0.0, "--rate", help="Risk-free rate, annual fraction, continuous (0.043 = 4.3 %)."),
    div: float = typer.Option(
        0.0, "--div", help="Dividend yield, annual fraction, continuous."),
    asof: str | None = typer.Option(
        None, "--asof",
        help="Valuation time, US/Eastern (YYYY-MM-DD or 'YYYY-MM-DD HH:MM'); default the "
             "chain's quote time."),
    sign: str = typer.Option(
        "long_calls_short_puts", "--sign",
        help="Dealer sign convention: long_calls_short_puts (default), short_calls_long_puts, "
             "short_calls_short_puts, long_calls_long_puts."),
    vol_model: str = typer.Option(
        "sticky_strike", "--vol-model", help="Profile vols: sticky_strike or sticky_delta."),
    full: bool = typer.Option(
        False, "--full", help="With --json: add DEX, vanna, charm, by-strike, companion "
                              "profiles, the sign sensitivity table and 0DTE detail."),
    as_json: AsJson = False,
    data_path: DataOpt = None,
) -> None:
    """Dealer gamma: GEX by strike/expiry, zero gamma, call/put walls, hedge flow, 0DTE."""
    from crashlens import options as opt
    from crashlens._dates import DATETIME_HINT, to_timestamp_or_none

    at = to_timestamp_or_none(asof, "--asof", day=False, hint=DATETIME_HINT)
    with progress("dealer gamma", quiet=as_json):
        chain = opt.read_chain(chain_file)
        result = opt.gex(chain, spot=spot, rate=rate, dividend_yield=div, asof=at,
                         sign_convention=sign, vol_model=vol_model)
    if as_json and full:
        dump_json(result.to_dict(detail=True))
        return
    emit(result, as_json)


def register(app: typer.Typer) -> None:
    """Add the ``gex`` command."""
    app.command("gex")(gex_cmd)
