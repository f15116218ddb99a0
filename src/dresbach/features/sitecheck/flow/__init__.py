"""The site-down assistant's flow: which site, the checks under way, what they found."""
