"""A change to one domain, confirmed by the customer (`states`)."""
