"""Incidents: an outage operators announce, answered before any login, and its closing told."""
