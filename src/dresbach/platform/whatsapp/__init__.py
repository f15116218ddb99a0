"""The WhatsApp Cloud API: webhook signature and parsing (in), rendering and the client (out)."""
