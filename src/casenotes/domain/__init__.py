"""Pure domain objects and rules. Imports nothing from web, storage or engines."""
