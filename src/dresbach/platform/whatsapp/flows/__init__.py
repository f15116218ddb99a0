"""Managing our WhatsApp Flows at Meta from the command line: Meta's Flow JSON rules
(`json_rules`) and the Graph Flows API (`api`). The endpoint's side of Flows (keys, tokens, the
exchange port) sits beside this folder, in `platform/whatsapp`."""
