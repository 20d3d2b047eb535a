"""Speech engines: plain Python (numpy in, domain objects out), no HTTP and no Azure JSON."""
