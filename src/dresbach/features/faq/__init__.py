"""Answers before logins: a curated knowledge base of common hosting questions (the FAQ).

Each answer is a file operators edit (`answers/*.md`); the understanding tier matches what a
customer typed to one of them (`matcher.match`), the flow shows it and asks "Isso resolveu?",
and a "Não" leads to the answer's next step: the login, a new chamado or a person.
"""
