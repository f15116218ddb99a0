"""`dresbach servers add|list|remove`: the WHM servers and their credentials (`commands`)."""
