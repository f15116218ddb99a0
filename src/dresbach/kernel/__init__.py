"""The pure kernel: no I/O, no clock, no randomness, and no feature named."""
