"""Notices before the customer asks: invoices, suspension, domains, SSL and tickets, from WHMCS."""
