"""Shared pieces of the Shoplake DAGs: the one list of jobs and the one task factory."""
