"""The page routers of the web app, one module per area."""
