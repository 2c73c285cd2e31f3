"""Use cases the web app, the API and the CLI call. Each owns its transaction."""
