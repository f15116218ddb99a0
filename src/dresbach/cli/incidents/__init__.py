"""`dresbach incidents`."""
