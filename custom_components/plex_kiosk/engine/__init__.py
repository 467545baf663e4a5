"""The rules of the trade: pure, synchronous, no I/O and no Home Assistant import."""
