"""`dresbach templates list|sync` (`commands`) and `dresbach doctor`'s row of the message
templates (`doctor`)."""
