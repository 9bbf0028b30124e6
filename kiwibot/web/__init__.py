"""The web adapter: the programme page, calendar feeds and the HTTP server that serves them."""
