"""Scoring: the maturity model (data), rules, aggregation, benchmark and recommendations."""
