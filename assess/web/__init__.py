"""The web layer: one blueprint per feature, thin views calling services."""
