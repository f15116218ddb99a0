"""Pix payment adapters, one per provider, each implementing the ``PaymentGateway`` port.

* ``static``: a static BR Code built by us; only an operator can confirm its payment.
* ``bcb``: any PSP speaking the BCB "API Pix" v2 (``PUT``/``GET /cob/{txid}``), OAuth2 over mTLS.
* ``mercadopago``: Mercado Pago's ``/v1/payments`` with ``payment_method_id: "pix"``.

A provider's notification is only a hint: every confirmation re-queries ``fetch_charge``.
"""
