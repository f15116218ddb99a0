"""How the customer rated a closed hand-off (1–5, and a comment), kept on the hand-off."""
