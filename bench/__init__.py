"""The benchmark: our server against a bare webhook server and a pywa echo bot (see README)."""
