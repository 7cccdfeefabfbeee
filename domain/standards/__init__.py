"""An alliance's service standards: the deadlines it promises, versioned by adoption."""
