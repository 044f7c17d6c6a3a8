"""Evaluations of a network: findings, deficiencies, the evaluation report (page and PDF)."""
