"""Compatibility: the YAML loader now lives in :mod:`crashlens._yaml` (one for every input)."""

from crashlens._yaml import Lines, SpecError, line_of, parse_yaml, read_yaml, validate

__all__ = ["Lines", "SpecError", "line_of", "parse_yaml", "read_yaml", "validate"]
