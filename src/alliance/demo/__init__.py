"""The demo data set: deterministic synthetic partners, customers and facts."""
