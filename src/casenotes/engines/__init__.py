"""Adapters behind the pipeline's protocols."""
