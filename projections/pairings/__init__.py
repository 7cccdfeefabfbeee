"""The pairings list: each pairing, its contacts and when the next of each is due."""
