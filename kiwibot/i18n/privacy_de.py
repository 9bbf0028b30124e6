"""Deutsch: Datenschutz – `!meinedaten` (Auskunft) und `!vergessen` (Löschung), wie ehemalige Mitglieder erscheinen.

Die Einträge werden in `kiwibot.i18n` mit den übrigen zusammengeführt; `privacy_en.py` hat dieselben Schlüssel.
"""

from kiwibot.i18n.plurals import Plural, plural

MESSAGES: dict[str, str | Plural] = {
    # commands
    "cmd.mydata": "schickt dir per Direktnachricht alles, was ich über dich gespeichert habe (mit Datei), und wann es gelöscht wird",
    "cmd.forget": "löscht deine Daten bei mir (mit `bestätigen` innerhalb von 10 Minuten); Zahlen und Texte bleiben ohne deinen Namen",
    "arg.confirm": "bestätigen",
    # people who are no longer named
    "person.former": "ehemaliges Mitglied",
    "person.anonymous": "Name gelöscht",
    "participants.line_gone": "{position}. {name}",
    # !meinedaten
    "privacy.sent_dm": "Ich habe dir eine Direktnachricht mit deinen Daten geschickt.",
    "privacy.sent_new_dm": "Ich habe dir deine Daten in einem neuen Direktchat geschickt (du bekommst eine Einladung von mir). Unseren früheren Direktchat habe ich mit {forget} vergessen; du kannst ihn verlassen.",
    "privacy.summary.title": "🔒 **Deine Daten bei KIWI** – alles im Einzelnen steht in der Datei {file} (JSON).",
    "privacy.summary.nothing": "Über dich habe ich keine Anmeldungen, Sessions, Rückmeldungen, Wünsche oder Einstellungen gespeichert – nur, dass es diesen Direktchat mit dir gibt.",
    "privacy.summary.sessions": plural(
        "count",
        one="• Sessions, die du gibst oder gegeben hast: {count} – sie bleiben im Programm und Archiv; nach {forget} steht dort „ehemaliges Mitglied“.",
        other="• Sessions, die du gibst oder gegeben hast: {count} – sie bleiben im Programm und Archiv; nach {forget} steht dort „ehemaliges Mitglied“.",
    ),
    "privacy.summary.signups": plural(
        "count",
        one="• Anmeldungen: {count} (davon auf der Warteliste: {waiting}) – dein Name wird {days} Tage nach dem Ende der Session gelöscht, die Zahl der Teilnehmenden bleibt.",
        other="• Anmeldungen: {count} (davon auf der Warteliste: {waiting}) – dein Name wird jeweils {days} Tage nach dem Ende der Session gelöscht, die Zahl der Teilnehmenden bleibt.",
    ),
    "privacy.summary.feedback": plural(
        "count",
        one="• Rückmeldungen: {count} – {days} Tage nach dem Ende der Session wird dein Name davon getrennt; Note und Text bleiben ohne Namen.",
        other="• Rückmeldungen: {count} – jeweils {days} Tage nach dem Ende der Session wird dein Name davon getrennt; Noten und Texte bleiben ohne Namen.",
    ),
    "privacy.summary.wishes": "• Themenwünsche: {count}, geteilte Unterlagen: {materials} – bleiben für alle sichtbar; nach {forget} ohne deinen Namen (dort steht dann „ehemaliges Mitglied“).",
    "privacy.summary.interest": "• Interesse (👍) an Wünschen: {interest} – wird mit {forget} gelöscht.",
    "privacy.summary.settings": "• Einstellungen: Sprache {language}, Erinnerungen {reminders}; Kalender-Links: {calendar}; Direktchat mit mir: {direct} – bleiben, bis du sie änderst oder {forget} nutzt.",
    "privacy.summary.next": "  ↳ Das nächste Mal lösche ich deinen Namen so am {when}.",
    "privacy.summary.patron": "• Pat:in seit {since} (von einem Admin im Chat eingetragen).",
    "privacy.summary.technical": plural(
        "count",
        one="• Technisch: {count} Befehl von dir (wird nach {days} Tagen gelöscht), {queued} Nachrichten an dich warten auf den Versand.",
        other="• Technisch: {count} Befehle von dir (werden nach {days} Tagen gelöscht), {queued} Nachrichten an dich warten auf den Versand.",
    ),
    "privacy.summary.footer": "Alles löschen lassen: {forget}. Deine Nachrichten in den Räumen selbst verwaltet der Matrix-Server, nicht ich.",
    "privacy.language.de": "Deutsch",
    "privacy.language.en": "Englisch",
    "privacy.language.default": "wie voreingestellt",
    "privacy.reminders.thread": "im Faden",
    "privacy.reminders.dm": "per Direktnachricht",
    "privacy.reminders.off": "aus",
    "privacy.yes": "ja",
    "privacy.no": "nein",
    # the JSON file of !meinedaten: explanations, and what each key and fixed value means
    "privacy.export.about": "Alles, was KIWI über dich gespeichert hat (Auskunft nach Art. 15 DSGVO). Die Schlüssel und festen Werte sind englisch und bleiben immer gleich, damit Programme die Datei lesen können; was sie bedeuten, steht am Ende unter „labels“ und „value_labels“.",
    "privacy.export.null_means": "„deleted_after“: null heißt: bleibt gespeichert, bis du darum bittest, dich zu vergessen (!vergessen). Dann werden Einstellungen, Interesse an Wünschen, Kalender-Links und der Direktchat gelöscht; Sessions, Wünsche und Unterlagen bleiben, aber ohne deinen Namen.",
    "privacy.export.times_are": "Ortszeit {zone}, mit ihrem Abstand zu UTC",
    "privacy.export.after_deletion": "Bewertung und Kommentar bleiben, ohne deinen Namen",
    "privacy.export.key.format": "Format dieser Datei (Version)",
    "privacy.export.key.language": "Sprache der Erklärungen in dieser Datei",
    "privacy.export.key.about": "Worum es in dieser Datei geht",
    "privacy.export.key.user_id": "deine Matrix-ID",
    "privacy.export.key.exported_at": "erstellt am",
    "privacy.export.key.retention_days": "Aufbewahrungsfrist in Tagen: so lange nach dem Ende einer Session bleiben die Namen der Teilnehmenden",
    "privacy.export.key.deleted_after_null_means": "was null bei „deleted_after“ bedeutet",
    "privacy.export.key.times_are": "in welcher Zeit die Zeitangaben stehen",
    "privacy.export.key.sessions_given": "Sessions, die du gibst oder gegeben hast",
    "privacy.export.key.sessions_cogiven": "Sessions, bei denen du Co-Geber:in bist oder warst",
    "privacy.export.key.signups": "deine Anmeldungen (fester Platz oder Warteliste)",
    "privacy.export.key.feedback": "deine Rückmeldungen zu Sessions",
    "privacy.export.key.wishes": "deine Themenwünsche",
    "privacy.export.key.wish_interest": "Wünsche, an denen du Interesse gezeigt hast (👍)",
    "privacy.export.key.materials": "Unterlagen (Links), die du geteilt hast",
    "privacy.export.key.preferences": "deine Einstellungen",
    "privacy.export.key.calendar_links": "deine persönlichen Kalender-Links (nur, ob es sie gibt – nie der geheime Link)",
    "privacy.export.key.direct_chat": "unser Direktchat",
    "privacy.export.key.patron": "Pat:in (von einem Admin eingetragen)",
    "privacy.export.key.technical": "technische Aufzeichnungen",
    "privacy.export.key.labels": "was jeder Schlüssel bedeutet",
    "privacy.export.key.value_labels": "was jeder feste Wert bedeutet",
    "privacy.export.key.number": "Nummer der Session",
    "privacy.export.key.title": "Titel",
    "privacy.export.key.starts_at": "Beginn",
    "privacy.export.key.ends_at": "Ende",
    "privacy.export.key.status": "Stand",
    "privacy.export.key.role": "deine Rolle",
    "privacy.export.key.place": "dein Platz",
    "privacy.export.key.signed_up_at": "angemeldet am",
    "privacy.export.key.via": "angemeldet per (👍 oder Befehl)",
    "privacy.export.key.rating": "deine Bewertung (1–5)",
    "privacy.export.key.comment": "dein Kommentar",
    "privacy.export.key.given_at": "abgegeben am",
    "privacy.export.key.after_deletion": "was nach der Löschung bleibt",
    "privacy.export.key.wish": "Nummer des Wunsches",
    "privacy.export.key.topic": "Thema",
    "privacy.export.key.description": "Beschreibung",
    "privacy.export.key.created_at": "angelegt am",
    "privacy.export.key.since": "seit",
    "privacy.export.key.url": "Link",
    "privacy.export.key.added_at": "hinzugefügt am",
    "privacy.export.key.reminders": "wie dich Erinnerungen erreichen",
    "privacy.export.key.exist": "vorhanden",
    "privacy.export.key.exists": "vorhanden",
    "privacy.export.key.commands": "deine Befehle (nur der Zeitpunkt)",
    "privacy.export.key.handled_at": "bearbeitet am",
    "privacy.export.key.queued_messages_to_you": "Nachrichten an dich, die noch auf den Versand warten",
    "privacy.export.key.forget_request": "deine Bitte, dich zu vergessen (wartet auf Bestätigung)",
    "privacy.export.key.requested_at": "gebeten am",
    "privacy.export.key.expires_at": "Bestätigung möglich bis",
    "privacy.export.key.deleted_after": "wird gelöscht nach (null: bleibt, bis du !vergessen nutzt)",
    "privacy.export.value.open": "offen (eine Session, die noch bevorsteht; ein Wunsch, den noch niemand aufgegriffen hat)",
    "privacy.export.value.running": "läuft gerade",
    "privacy.export.value.held": "hat stattgefunden",
    "privacy.export.value.cancelled": "abgesagt",
    "privacy.export.value.fulfilled": "erfüllt (eine Session greift ihn auf)",
    "privacy.export.value.closed": "geschlossen",
    "privacy.export.value.giver": "Session-Geber:in",
    "privacy.export.value.cogiver": "Co-Geber:in",
    "privacy.export.value.seat": "fester Platz",
    "privacy.export.value.waiting_list": "Warteliste",
    "privacy.export.value.reaction": "per 👍 auf die Ankündigung",
    "privacy.export.value.command": "per Befehl",
    "privacy.export.value.thread": "im Faden der Session",
    "privacy.export.value.dm": "per Direktnachricht",
    "privacy.export.value.off": "aus",
    # !vergessen
    "forget.ask": (
        "⚠️ **Soll ich dich vergessen?** Dann melde ich dich von allen kommenden Sessions und Wartelisten ab "
        "(wer nachrückt, bekommt Bescheid), lösche dein Interesse an Wünschen, deine Einstellungen, Kalender-Links "
        "und unseren Direktchat-Eintrag. Vergangene Teilnahmen, Rückmeldungen, Wünsche und Unterlagen bleiben als Zahl "
        "und Text, aber ohne deinen Namen; in Ankündigungen steht dann „ehemaliges Mitglied“. Das lässt sich nicht "
        "rückgängig machen.\nWenn du sicher bist, schreib innerhalb von {minutes} Minuten: {confirm}"
    ),
    "forget.refused": "Vergessen geht erst, wenn niemand mehr auf dich als Session-Geber:in oder Co-Geber:in wartet.\n{reasons}\nDann versuch es bitte noch einmal.",
    "forget.still_giving": plural(
        "count",
        one=(
            "Du gibst noch diese Session:\n{sessions}\nNenne eine Co-Geber:in ({handover}; sie übernimmt die Session, "
            "wenn ich dich vergesse) oder sag sie ab ({cancel})."
        ),
        other=(
            "Du gibst noch diese {count} Sessions:\n{sessions}\nNenne jeweils eine Co-Geber:in (z. B. {handover}; sie "
            "übernimmt die Session, wenn ich dich vergesse) oder sag sie ab (z. B. {cancel})."
        ),
    ),
    "forget.still_cogiving": plural(
        "count",
        one=(
            "Du bist noch Co-Geber:in dieser Session:\n{sessions}\nTrag dich dort aus ({leave}); die "
            "Session-Geber:in gibt sie dann ohne dich."
        ),
        other=(
            "Du bist noch Co-Geber:in dieser {count} Sessions:\n{sessions}\nTrag dich jeweils aus, indem du die "
            "Co-Geber:innen ohne dich nennst (bei der ersten: {leave}); die Session-Geber:innen geben sie dann ohne dich."
        ),
    ),
    "forget.handed_over": "Du bist jetzt Session-Geber:in von Session {number} „{title}“: Die bisherige Geber:in hat mich gebeten, sie zu vergessen. Alles Weitere (ändern, absagen, Teilnehmende) liegt nun bei dir.",
    "forget.session": "• Nr. {number} „{title}“",
    "forget.handover": "Co-Geber:in: {who}",
    "forget.already_done": "Das ist schon erledigt: Ich habe dich bereits vergessen. Hast du seitdem wieder etwas bei mir gespeichert (z. B. dich angemeldet), schreib {ask}, dann lösche ich auch das.",
    "forget.nothing_to_confirm": "Es gibt nichts zu bestätigen: Schreib zuerst {ask}, dann sage ich dir, was passiert.",
    "forget.expired": "Die Bestätigung kam zu spät (mehr als {minutes} Minuten nach {ask}). Schreib {ask} bitte noch einmal.",
    "forget.bad_word": "„{value}“ verstehe ich hier nicht. {ask} erklärt, was passiert; gelöscht wird erst mit {confirm}.",
    "forget.done": "Erledigt: Ich habe dich vergessen.",
    "forget.done_signups": plural(
        "signups",
        one="Von {signups} kommenden Session habe ich dich abgemeldet; wer auf der Warteliste stand, ist nachgerückt.",
        other="Von {signups} kommenden Sessions habe ich dich abgemeldet; wer auf der Warteliste stand, ist nachgerückt.",
    ),
    "forget.done_handed": plural(
        "count",
        one="{count} Session gibt jetzt deine Co-Geber:in; sie hat eine Nachricht von mir.",
        other="{count} Sessions geben jetzt deine Co-Geber:innen; sie haben eine Nachricht von mir.",
    ),
    "forget.done_bye": "Mach's gut!",
}
