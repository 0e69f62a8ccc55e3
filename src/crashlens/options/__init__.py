"""Dealer gamma engine: option chains, vectorised greeks, GEX profile, zero gamma, walls, 0DTE."""
