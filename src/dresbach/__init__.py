"""Dresbach Assistente: the WhatsApp assistant of Dresbach Hosting do Brasil."""

__version__ = "0.1.0"
