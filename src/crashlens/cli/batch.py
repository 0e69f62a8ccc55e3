"""``crashlens batch cta|gex``: partitioned, resumable batch jobs, locally or on Dask."""

from __future__ import annotations

from typing import Any

import typer

from crashlens.cli._common import (
    AsJson,
    DataOpt,
    emit,
    parse_date,
    progress,
    reads_data,
    split_names,
)

_SCHEDULER = typer.Option(None, "--scheduler", help="Dask scheduler address tcp://host:port "
                          "(workers need the same data: CRASHLENS_DATA or the store).")
_DASK_LOCAL = typer.Option(None, "--dask-local", help="Start a private Dask LocalCluster "
                           "with N worker processes on 127.0.0.1.")
_PROCESSES = typer.Option(0, "--processes", help="Local backend: N worker processes "
                          "(0 = in this process). Ignored with a Dask backend.")
_TIMEOUT = typer.Option(10.0, "--timeout", help="Seconds to wait for the Dask scheduler.")
_JOB_ID = typer.Option(None, "--job-id", help="Job folder under CRASHLENS_HOME/batch "
                       "(default: derived from the request, so rerunning resumes).")
_FRESH = typer.Option(False, "--fresh", help="Discard finished partitions; recompute all.")


def _run(total: int | None, label: str, as_json: bool, job: Any, **engine_opts: Any) -> None:
    from crashlens.engine import make_engine

    with make_engine(**engine_opts) as eng, progress(label, total=total,
                                                     quiet=as_json) as advance:
        res = job(eng, advance)
    emit(res, as_json)


def register(app: typer.Typer) -> None:
    """Add the ``batch`` command group (``cta``, ``gex``) to the root app."""
    batch = typer.Typer(help="Partitioned, resumable batch jobs (CTA history with Monte-Carlo "
                        "bands, GEX over many chains) on this machine or a Dask cluster; "
                        "Parquet results under CRASHLENS_HOME/batch/<job-id>/.",
                        no_args_is_help=True)
    app.add_typer(batch, name="batch")

    @batch.command("cta")
    @reads_data
    def batch_cta_cmd(
        start: str = typer.Option(..., "--start", help="First date YYYY-MM-DD."),
        end: str = typer.Option(None, "--end", help="Last date (default: end of the data)."),
        assets: str = typer.Option(None, "--assets", help="Comma-separated catalog names "
                                   "(default SPX,NDX,GOLD,SILVER,UST10Y,DXY,BTC)."),
        aum: float = typer.Option(None, "--aum", help="Trend-following AUM in USD."),
        block_months: int = typer.Option(12, "--block-months", help="Months per date block "
                                         "(partitions = assets x blocks + one book per block)."),
        flows: bool = typer.Option(True, "--flows/--no-flows", help="Daily scenario flows."),
        mc_freq: str = typer.Option("month", "--mc-freq", help="Monte-Carlo bands on the last "
                                    "common day of each: day, week, month, none."),
        mc_paths: int = typer.Option(None, "--mc-paths", help="Bootstrapped paths per band "
                                     "(default 500)."),
        scheduler: str = _SCHEDULER,
        dask_local: int = _DASK_LOCAL,
        processes: int = _PROCESSES,
        timeout: float = _TIMEOUT,
        job_id: str = _JOB_ID,
        fresh: bool = _FRESH,
        as_json: AsJson = False,
        data_path: DataOpt = None,
    ) -> None:
        """CTA positioning, triggers, flows and Monte-Carlo bands for every day of a range."""
        from crashlens.engine import batch_cta, date_blocks
        from crashlens.errors import ParameterError

        s = parse_date(start, "--start")
        e = parse_date(end, "--end")
        if s is not None and e is not None and s > e:
            raise ParameterError(f"--start {s.date()} is after --end {e.date()}")
        if aum is not None and aum < 0:
            raise ParameterError(f"--aum {aum:g}: AUM cannot be negative (USD)")
        names = split_names(assets)
        total = None
        if s is not None and e is not None:
            from crashlens.cta import DEFAULT_UNIVERSE

            n_assets = len(names) if names else len(DEFAULT_UNIVERSE)
            total = len(date_blocks(s, e, block_months)) * (n_assets + 1)

        def job(eng: Any, advance: Any) -> Any:
            return batch_cta(s, e, names, aum=aum, block_months=block_months,
                             flows=flows, mc_freq=mc_freq, mc_paths=mc_paths, engine=eng,
                             job_id=job_id, fresh=fresh, on_progress=advance)

        _run(total, "batch cta", as_json, job, scheduler=scheduler, dask_local=dask_local,
             processes=processes, timeout=timeout)

    @batch.command("gex")
    def batch_gex_cmd(
        source: str = typer.Argument(..., help="Folder of chain files (*.csv, *.parquet), "
                                     "a glob pattern (quote it), or one file."),
        spot: float = typer.Option(None, "--spot", help="Override every chain's spot."),
        rate: float = typer.Option(0.0, "--rate", help="Risk-free rate (annual fraction)."),
        div: float = typer.Option(0.0, "--div", help="Dividend yield (annual fraction)."),
        sign_convention: str = typer.Option(None, "--sign-convention", help="Dealer sign "
                                            "convention (default: the gex engine's)."),
        strict: bool = typer.Option(False, "--strict", help="Stop at the first bad chain file "
                                    "(default: record its error and go on)."),
        files_per_partition: int = typer.Option(1, "--files-per-partition", help="Chain "
                                                "files per partition (chunks of small chains "
                                                "cut per-task overhead)."),
        scheduler: str = _SCHEDULER,
        dask_local: int = _DASK_LOCAL,
        processes: int = _PROCESSES,
        timeout: float = _TIMEOUT,
        job_id: str = _JOB_ID,
        fresh: bool = _FRESH,
        as_json: AsJson = False,
    ) -> None:
        """One dealer-GEX summary row per option-chain file."""
        from crashlens.engine import batch_gex, chain_files

        n_files = len(chain_files(source))
        total = -(-n_files // files_per_partition) if files_per_partition >= 1 else None

        def job(eng: Any, advance: Any) -> Any:
            return batch_gex(source, spot=spot, rate=rate, dividend_yield=div,
                             sign_convention=sign_convention,
                             on_error="raise" if strict else "record",
                             files_per_partition=files_per_partition, engine=eng,
                             job_id=job_id, fresh=fresh, on_progress=advance)

        _run(total, "batch gex", as_json, job, scheduler=scheduler, dask_local=dask_local,
             processes=processes, timeout=timeout)
