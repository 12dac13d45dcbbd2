"""Route handlers, grouped by who calls them: services (back channel) and browsers."""
