"""Pieces shared by the YAML spec models of the scenarios, the claims and the portfolios.

Each spec file is a pydantic model loaded by :mod:`crashlens._yaml` (errors name the line);
these are the parts every such model uses: the strict frozen base class and the asset-name
type checked against the catalog (or the names a caller passes as ``context["known"]``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, ValidationInfo

from crashlens.errors import UnknownSeriesError


class SpecModel(BaseModel):
    """Base of the spec models: unknown keys refused, instances frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)


def known_assets(context: Mapping[str, Any] | None) -> set[str]:
    """Asset names accepted in a spec: ``context['known']`` or the data catalog's names."""
    if context and context.get("known") is not None:
        return {str(k).upper() for k in context["known"]}
    from crashlens.data.catalog import CATALOG

    return set(CATALOG)


def _series(value: str, info: ValidationInfo) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError("an asset name must be a non-empty string")
    name = value.strip().upper()
    known = known_assets(info.context)
    if name not in known:
        raise ValueError(str(UnknownSeriesError(value, sorted(known), kind="asset")))
    return name


#: An asset name in a spec: upper-cased and checked against the known assets.
Series = Annotated[str, AfterValidator(_series)]


__all__ = ["Series", "SpecModel", "known_assets"]
