"""Faithful fakes of outside systems, run locally by the end-to-end tests and the benchmark."""
