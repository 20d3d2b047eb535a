"""CLU engines: project parsing, training and prediction. No HTTP, no Azure wire JSON."""
