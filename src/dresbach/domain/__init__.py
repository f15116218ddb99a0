"""The domain: events, outbound messages, the conversation and the rules that need no I/O."""
