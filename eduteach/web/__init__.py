"""Thin Flask views: they connect the LTI, storage and (later) generation layers."""
