"""What every stage shares: the configuration, errors, the table contracts and their store,
the run directory, text and vector helpers, and the small statistics the stages agree on."""
