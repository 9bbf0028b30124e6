"""The web adapter, the only place that serves HTTP: calendar feeds (`ical`, `feeds`), the programme page
(`page`, `programme`) and the server (`server`) that the page adds its routes to."""
