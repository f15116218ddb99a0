"""The site-down assistant's engine: run every check on a customer's site and explain the result.

Pure parts (no I/O, no clock: ``now`` comes in):

* ``model`` (with ``results``, the checks' results): what we expect of the site, the findings,
  the ticket draft;
* ``diagnosis`` (with ``diagnosis_dns`` and ``diagnosis_web``): results → ordered findings, or a
  ticket pre-filled with every check's result (``ticket``) when nothing explains the problem;
* ``texts``, ``texts_web``, ``texts_ticket``: the pt-BR catalog; ``wording``: numbers, dates and
  sizes the Brazilian way; ``replies``: the customer's messages;
* ``certificate``: a peer certificate (DER) read into plain facts.

I/O parts: ``ports`` (the Protocols) and their ``adapters``: ``dns_resolver`` (dnspython),
``http_probe`` (httpx), ``tls_inspector`` (a TLS handshake that reads even an invalid
certificate), ``connect_to`` (a name served from another address, for tests); and ``checks``
(runs every check concurrently, each with its timeout, under one deadline). import-linter keeps
the pure parts away from the I/O.
"""
