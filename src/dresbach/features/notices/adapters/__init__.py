"""The notices' adapters: the billing system they read (WHMCS)."""
