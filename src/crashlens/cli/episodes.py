"""``crashlens episodes``: the library of sell-off episodes, detected and named."""

from __future__ import annotations

import typer

from crashlens.cli._common import AsJson, DataOpt, emit, progress, reads_data


def register(app: typer.Typer) -> None:
    """Add the ``episodes`` command to the root app."""

    @app.command("episodes")
    @reads_data
    def episodes_cmd(
        threshold: float = typer.Option(0.10, "--threshold", help="Detection threshold: "
                                        "peak-to-trough fall as a fraction (0.10 = 10 %)."),
        recovery: float = typer.Option(1.0, "--recovery", help="Share of the loss regained "
                                       "that ends an episode (1.0 = back at the old peak)."),
        primary: str = typer.Option("SPX", "--primary", help="Catalog asset whose "
                                     "drawdowns define the episodes."),
        named_only: bool = typer.Option(False, "--named-only", help="Only the named "
                                        "episodes: skip the drawdown detection rule."),
        as_json: AsJson = False,
        data_path: DataOpt = None,
    ) -> None:
        """Episode library: peak, trough, drawdown, duration, recovery, VIX peak, other assets."""
        from crashlens import episodes

        with progress("episode library", quiet=as_json):
            res = episodes.library(primary=primary, threshold=threshold, recovery=recovery,
                                   include_detected=not named_only)
        emit(res, as_json)
