"""Red Alliance (红联盟): the member units working together in a community (care pairs come next)."""
