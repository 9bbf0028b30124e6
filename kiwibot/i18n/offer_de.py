"""Deutsch: Angebote (`!anbieten`), ihre Fehlermeldungen und die Namen der Formate.

Die Einträge werden in `kiwibot.i18n` mit den übrigen zusammengeführt; `offer_en.py` hat dieselben Schlüssel.
"""

MESSAGES: dict[str, str] = {
    # the offer and its template
    "offer.invalid": "Dein Angebot ist noch nicht ganz richtig – bitte korrigiere:",
    "offer.template": (
        "So bietest du eine Session an: Kopiere diese Vorlage, ersetze Titel und Beschreibung durch deine "
        "Angaben, passe den Rest an und schicke sie mir als eine Nachricht. Link, Plätze und Co-Geber:in sind "
        "freiwillig, die Beschreibung darf mehrere Zeilen lang sein. Was in Klammern steht, ist nur ein Hinweis "
        "und darf stehen bleiben.\n"
        "{template}"
    ),
    # the template's lines (each `Feld: Wert`, as the parser reads them); title and description are examples
    "offer.template.title": "Titel: Titel deiner Session",
    "offer.template.when": "Termin: {when}",
    "offer.template.duration": "Dauer: 60 (30, 60 oder 90 Minuten)",
    "offer.template.format": "Format: {first} ({formats})",
    "offer.template.or": "oder",
    "offer.template.link": "Link: (freiwillig: Link zum Videoraum, https://…)",
    "offer.template.seats": "Plätze: unbegrenzt (oder eine Zahl, z. B. 20)",
    "offer.template.cogivers": "Co-Geber:in: (freiwillig: bis zu drei Personen, die mit dir die Session geben, z. B. @name)",
    "offer.template.description": (
        "Beschreibung: Worum geht es? Für wen ist die Session gedacht? "
        "Was sollten die Teilnehmenden mitbringen? (Gern über mehrere Zeilen.)"
    ),
    "offer.template_unfilled": (
        "Diese Angaben enthalten noch den Beispieltext aus der Vorlage: {fields}. Bitte ersetze ihn durch "
        "deine eigenen Angaben – die Vorlage ist nur ein Muster."
    ),
    "offer.nothing_to_change": (
        "Ich sehe nichts, was ich ändern soll. Schreib jede Änderung in eine eigene Zeile als `Feld: Wert`, "
        "z. B. `Termin: 3.12. 14:00` oder `Plätze: 20`."
    ),
    # fields that are missing
    "offer.missing_title": "Es fehlt der Titel, z. B. `Titel: Einführung in die E-Akte`.",
    "offer.missing_when": "Es fehlt der Termin mit Datum und Uhrzeit, z. B. `Termin: 3.12. 14:00`.",
    "offer.missing_duration": "Es fehlt die Dauer: 30, 60 oder 90 Minuten, z. B. `Dauer: 60`.",
    "offer.missing_format": "Es fehlt das Format, z. B. `Format: impuls`. Möglich sind: {formats}.",
    # values that do not fit
    "offer.when_past": "Der Termin {value} liegt in der Vergangenheit. Bitte wähle einen Zeitpunkt in der Zukunft.",
    "offer.when_too_far": (
        "Der Termin {value} liegt mehr als ein Jahr in der Zukunft. "
        "Sessions lassen sich höchstens 365 Tage im Voraus anbieten."
    ),
    "offer.bad_duration": (
        "Die Dauer „{value}“ geht leider nicht. Möglich sind 30, 60 oder 90 Minuten, "
        "z. B. `Dauer: 60`, `Dauer: 90 min` oder `Dauer: 1,5 h`."
    ),
    "offer.duration_conflict": (
        "Der Termin dauert von–bis {minutes} Minuten, bei der Dauer steht aber {duration}. "
        "Bitte gleiche beides an oder lass die Zeile Dauer weg."
    ),
    "offer.bad_format": "Das Format „{value}“ kenne ich nicht. Möglich sind: {formats}.",
    "offer.format_choice": "{words} ({name})",
    "offer.bad_link": (
        "Der Link „{value}“ funktioniert so nicht. Er muss mit https:// (oder http://) beginnen und darf "
        "keine Leerzeichen enthalten, z. B. `Link: https://meet.example.org/kiwi`. "
        "Ohne Link lässt du die Zeile einfach weg."
    ),
    "offer.bad_seats": (
        "„{value}“ verstehe ich nicht als Anzahl der Plätze. Möglich ist eine ganze Zahl von 1 bis {max}, "
        "z. B. `Plätze: 20`, oder `Plätze: unbegrenzt`."
    ),
    "offer.title_too_long": (
        "Der Titel ist {length} Zeichen lang, möglich sind höchstens {max}. "
        "Bitte kürze ihn – Details passen gut in die Beschreibung."
    ),
    "offer.description_too_long": (
        "Die Beschreibung ist {length} Zeichen lang, möglich sind höchstens {max}. Bitte kürze sie etwas."
    ),
    # the shape of the message
    "offer.duplicate": "Das Feld „{field}“ kommt mehrmals vor. Bitte gib jede Angabe nur einmal an.",
    "offer.duplicate_after_description": (
        "Die Zeile „{line}“ nach der Beschreibung lese ich als Angabe „{field}“ – die steht aber schon weiter "
        "oben. Bitte gib jede Angabe nur einmal an. Gehört die Zeile zur Beschreibung, formuliere sie ohne "
        "Doppelpunkt nach „{name}“."
    ),
    "offer.unknown_field": (
        "Das Feld „{field}“ kenne ich nicht. Möglich sind: Titel, Termin, Dauer, Format, Link, Plätze, Co-Geber:in, Beschreibung und Wunsch."
    ),
    "offer.not_a_field": (
        "Die Zeile „{line}“ verstehe ich nicht. Jede Angabe steht als `Feld: Wert` in einer eigenen Zeile "
        "oder hintereinander in einer Zeile, die mit einem Feld beginnt, z. B. `Titel: E-Akte Dauer: 60`. Längere Texte gehören in die Beschreibung: Nach `Beschreibung:` dürfen beliebig "
        "viele Zeilen folgen."
    ),
    "offer.missing_colon": "In der Zeile „{line}“ fehlt der Doppelpunkt nach dem Feldnamen. So passt es: {example}",
    # formats
    "format.talk.name": "Impuls",
    "format.talk.about": "kurzer Impulsvortrag mit anschließender Diskussion",
    "format.ama.name": "Ask me Anything",
    "format.ama.about": "offene Fragerunde: Alle Fragen zum Thema sind willkommen",
    "format.exchange.name": "Erfahrungsaustausch",
    "format.exchange.about": "gemeinsam Erfahrungen zu einer Frage teilen",
    "format.workshop.name": "Werkstatt",
    "format.workshop.about": "praktisch ausprobieren: eine Methode oder ein Werkzeug gemeinsam anwenden",
    "format.group.name": "Offenes Gruppentreffen",
    "format.group.about": "offenes Treffen, z. B. um eine Arbeitsgruppe zu gründen",
}
