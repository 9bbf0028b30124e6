"""Deutsch: die Standardsprache. Platzhalter in {geschweiften} Klammern, **fett**, `Code`."""

MESSAGES: dict[str, str] = {
    # babel patterns (https://babel.pocoo.org/en/latest/dates.html#pattern-syntax)
    "format.datetime": "EEE, d. MMM y, HH:mm 'Uhr'",
    "format.weekday_date": "EEEE, d. MMMM y",
    "format.date": "d. MMM y",
    "format.time": "HH:mm 'Uhr'",
    # help and basics
    "help.header": "**KIWI – Kollegiale Impulse, Wissenswerkstatt.** Das kann ich:",
    "help.line": "{usage} – {text}",
    "help.footer": "Mehr zu einem Befehl: {example}. For English replies: {language}",
    "help.detail": "{usage}\n{text}",
    "help.aliases": "Auch: {aliases}",
    "cmd.help": "zeigt diese Übersicht oder die Hilfe zu einem Befehl",
    "cmd.ping": "prüft, ob ich da bin",
    "cmd.language": "stellt die Sprache meiner Antworten an dich ein (de oder en)",
    "arg.command": "Befehl",
    "arg.language": "Sprache",
    "ping.pong": "🏓 Pong! Ich bin da.",
    "language.set": "Alles klar: Ich antworte dir ab jetzt auf Deutsch.",
    # errors
    "error.unknown_command": "Den Befehl {command} kenne ich nicht. Meintest du {suggestion}? Alle Befehle: {help}",
    "error.unknown_command_plain": "Den Befehl {command} kenne ich nicht. Alle Befehle zeigt {help}.",
    "error.usage": "So funktioniert der Befehl: {usage}",
    "error.bad_number": "{value} ist keine gültige Nummer. Erwartet wird eine ganze Zahl, z. B. 7.",
    "error.bad_language": "Die Sprache {value} kenne ich nicht. Möglich sind: de (Deutsch), en (English).",
    "error.internal": (
        "Da ist bei mir etwas schiefgelaufen. Bitte versuche es später noch einmal. "
        "Wenn es wieder passiert, gib dem Admin-Team diese Referenz: {ref}"
    ),
    "error.storage": "Ich kann gerade nichts speichern. Bitte versuche es in ein paar Minuten noch einmal.",
    # dates
    "date.unknown": (
        "Den Termin {value} verstehe ich nicht. Möglich sind z. B. 2026-12-03 14:00, 03.12.2026 14:00, "
        "3.12. 14 Uhr, morgen 14:00, übermorgen 10:00 oder Donnerstag 14:00."
    ),
    "date.nonexistent": (
        "Die Uhrzeit in {value} gibt es an diesem Tag nicht (Zeitumstellung). Bitte wähle eine andere Uhrzeit."
    ),
    "date.no_time": "Beim Termin {value} fehlt die Uhrzeit, z. B. {value} 14:00.",
    "date.no_date": "Beim Termin {value} fehlt das Datum, z. B. 3.12. {value}.",
}
