"""The state machine: flows as tables, the router, global commands, the lint and the diagrams."""
