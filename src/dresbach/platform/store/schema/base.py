"""The metadata every table belongs to, and the id type they share."""

from __future__ import annotations

from sqlalchemy import BigInteger, Integer, MetaData

metadata = MetaData()

ID = BigInteger().with_variant(Integer(), "sqlite")
