"""Reading and writing files: configuration, availability, traffic, atomic output."""
