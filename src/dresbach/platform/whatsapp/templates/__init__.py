"""Message templates: each declared once in code (`declarations`), and held against the
WhatsApp Business Account (`api`)."""
