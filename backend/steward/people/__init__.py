"""People: residents of households, and the users who sign in."""
