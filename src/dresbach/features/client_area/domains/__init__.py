"""Domain changes a logged-in client asks for (#15): nameservers, the registrar lock and the
EPP code through the registrar (`changes`), and DNS records checked before WHM edits them
(`edits`); every word the client reads is in `texts`."""
