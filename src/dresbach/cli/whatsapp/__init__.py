"""`dresbach whatsapp …`: the WhatsApp business number's own settings at Meta."""
