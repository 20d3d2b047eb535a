"""The Language features: one module per Azure ``kind``; ``base`` holds the shared batch pipeline."""
