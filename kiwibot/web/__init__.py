"""The web adapter: the only place that serves HTTP. Calendar feeds (`ical`, `feeds`) and the server; the
programme page adds its routes through `server.build_web_app(extra_routes=…)`."""
