"""Facts of earned tiers (issue 5): import them, store them, read them back as Arrow tables."""
