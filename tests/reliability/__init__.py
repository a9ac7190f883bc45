"""The reliability suite: faults, crashes, bad input, untrusted files, determinism."""
