"""Facts: the schema, the YAML loader with positions, and formatting."""
