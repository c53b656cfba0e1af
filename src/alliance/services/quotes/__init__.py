"""Quotes (OIP-7, OIP-8): a partner's basket priced with every promotion it may use."""
