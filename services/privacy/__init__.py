"""Personal data: encrypted per household, read in clear only where a role needs it, erasable.

`tokens` seals and opens one value; `wrapping` wraps data keys under the master key; `keystore`
keeps the wrapped keys outside the log; `sealing` replaces personal fields at ingest;
`access` decides who reads in clear; `masking` and `reveal` turn tokens back into text.
"""
