"""The conversation flows: transition tables (data), texts (pt-BR catalogs) and the router."""
