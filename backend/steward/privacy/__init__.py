"""Residents' privacy rights (PIPL arts. 44–47): see and export what is held, withdraw consent, ask
for deletion; staff confirm; personal fields are erased while history keeps its integrity."""
