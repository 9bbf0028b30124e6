"""Statistics as files (a chart and a table), made outside the core and the event loop: platform-neutral values
(`Attachment`) that any chat adapter sends. Only this folder imports matplotlib."""
