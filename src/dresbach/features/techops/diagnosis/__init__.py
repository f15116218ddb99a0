"""Tech Ops: the paid diagnosis, after the offer: the Pix, choosing a slot, the meeting and its
changes, and the e-mails (receipt, invitation) with their pt-BR texts."""
