"""The business number's own settings at Meta (its conversation starters)."""
