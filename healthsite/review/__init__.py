"""The editorial review of the site model: readability, style, safety and spelling warnings."""
