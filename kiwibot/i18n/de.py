"""Deutsch: die Standardsprache. Platzhalter in {geschweiften} Klammern, **fett**, `Code`.

Meldungen mit einer Zahl sind `plural(...)`: eine Form je Pluralkategorie (de: one, other).
"""

from kiwibot.i18n.plurals import Plural, plural

MESSAGES: dict[str, str | Plural] = {
    # babel patterns (https://babel.pocoo.org/en/latest/dates.html#pattern-syntax)
    "format.datetime": "EEE, d. MMM y, HH:mm 'Uhr'",
    "format.weekday_date": "EEEE, d. MMMM y",
    "format.date": "d. MMM y",
    "format.time": "HH:mm 'Uhr'",
    "format.month": "MMMM y",
    "format.month_name": "LLLL",  # "Februar" in "Februar bis Mai 2026"
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
    "direct.plain": "Ich antworte auf Befehle wie {help} – der zeigt dir alles, was ich kann.",
    "error.usage": "So funktioniert der Befehl: {usage}",
    "error.bad_number": "„{value}“ ist keine gültige Nummer. Erwartet wird eine ganze Zahl, z. B. 7.",
    "error.one_number": "Bitte nur eine Session-Nummer: „{value}“ wäre eine zweite. So geht es: {usage}{more}",
    "error.text_after_number": " – ein Grund oder Termin danach beginnt mit einem Wort oder Datum.",
    "error.too_many_numbers": "Bitte höchstens {max} Session-Nummern auf einmal.",
    "error.bad_language": "Die Sprache „{value}“ kenne ich nicht. Möglich sind: de (Deutsch), en (English).",
    "error.internal": (
        "Da ist bei mir etwas schiefgelaufen. Bitte versuche es später noch einmal. "
        "Wenn es wieder passiert, gib dem Admin-Team diese Referenz: {ref}"
    ),
    "error.storage": "Ich kann gerade nichts speichern. Bitte versuche es in ein paar Minuten noch einmal.",
    "edited.done": (
        "Bearbeitete Nachrichten übernehme ich nicht – der Befehl ist schon ausgeführt. "
        "Wenn du etwas anderes möchtest, schick den Befehl bitte als neue Nachricht."
    ),
    "edited.session": (
        "Bearbeitete Nachrichten übernehme ich nicht – Session {number} bleibt, wie sie ist. "
        "Zum Ändern schick eine neue Nachricht mit {usage} und darunter, was sich ändern soll (z. B. Termin: …)."
    ),
    # dates
    "date.unknown": (
        "Den Termin „{value}“ verstehe ich nicht. Möglich sind z. B. 2026-12-03 14:00, 03.12.2026 14:00, "
        "3.12. 14 Uhr, 3. Dez. 14:00, Do 3.12. 14–15 Uhr, morgen 14:00, übermorgen 10:00 oder Donnerstag 14:00."
    ),
    "date.nonexistent": (
        "Die Uhrzeit in {value} gibt es an diesem Tag nicht (Zeitumstellung). Bitte wähle eine andere Uhrzeit."
    ),
    "date.no_time": "Beim Termin {value} fehlt die Uhrzeit, z. B. {value} 14:00.",
    "date.no_date": "Beim Termin {value} fehlt das Datum, z. B. 3.12. {value}.",
    "date.wrong_weekday": (
        "Beim Termin {value} passen Wochentag und Datum nicht zusammen: Das Datum ist {date}. "
        "Bitte prüfe, welcher Tag gemeint ist."
    ),
    "date.range_order": "Beim Termin {value} liegt das Ende nicht nach dem Beginn. Bitte prüfe die Uhrzeiten.",
    "date.range_length": (
        "Der Termin {value} dauert {minutes} Minuten. Eine Session dauert 30, 60 oder 90 Minuten, "
        "z. B. 14–15 Uhr oder 14:00–15:30."
    ),
    # commands
    "cmd.offer": "bietet eine Session an (allein: zeigt eine Vorlage zum Kopieren)",
    "cmd.join": "meldet dich für eine Session an (wie 👍 auf die Ankündigung)",
    "cmd.leave": "meldet dich von einer Session ab",
    "cmd.programme": "zeigt die kommenden Sessions",
    "cmd.mine": "zeigt deine Sessions und Anmeldungen",
    "cmd.calendar": "schickt dir per Direktnachricht deine Kalender-Links (Outlook, Thunderbird, Google, iPhone) und den Link zu deiner Programmseite im Browser (an- und abmelden per Klick); `neu` macht die alten ungültig",
    "cmd.participants": "zeigt, wer kommt (für Session-Geber:innen, Co-Geber:innen, Pat:innen, Admins)",
    "cmd.edit": "ändert eine Session, z. B. mit der Zeile „Link: https://…“",
    "cmd.cancel": "sagt eine Session ab; alle Angemeldeten bekommen Bescheid",
    "cmd.repeat": "bietet eine Session zu einem neuen Termin noch einmal an",
    "cmd.patron": "Pat:innen anzeigen; Admins: `@name` hinzufügen, `entfernen @name`",
    "cmd.feedback": "gibt Rückmeldung zu einer Session, bei der du dabei warst (eine Note 1–5 vorweg ist freiwillig); ohne Text zeigt er Session-Geber:innen die Rückmeldungen",
    "arg.number": "Nr.",
    "arg.offer": "Angaben",
    "arg.page": "Seite",
    "arg.new": "neu",
    "arg.changes": "Änderungen",
    "arg.reason": "Grund",
    "arg.when": "Termin",
    "arg.patron": "@name",
    "arg.feedback": "Note 1–5 und/oder Text",
    # offers, changes, cancellations
    "offer.created": "Danke! Deine Session hat die Nummer **{number}**. Hier ist die Ankündigung: {post}",
    "offer.created_overlap": plural(
        "count",
        one="{created}\nHinweis: Zur selben Zeit läuft schon {overlaps}. Das ist erlaubt – vielleicht passt aber ein anderer Termin?",
        other="{created}\nHinweis: Zur selben Zeit laufen schon {overlaps}. Das ist erlaubt – vielleicht passt aber ein anderer Termin?",
    ),
    "repeat.created": "Session {old} wird wiederholt: Die neue Session hat die Nummer **{number}**. Hier ist die Ankündigung: {post}",
    "repeat.giver_told": "{actor} hat deine Session {old} „{title}“ wiederholt: neue Session **{number}** am {when}. Die Ankündigung erscheint im Programmraum.",
    "offer.overlap_item": "Nr. {number} „{title}“",
    "offer.overlap_more": plural("more", one="{items} und {more} weitere", other="{items} und {more} weitere"),
    "offer.alike_wishes": (
        "Passt deine Session zu einem Themenwunsch? Dann schreib `!ändern {number}` mit der Zeile `Wunsch: {wish}` "
        "(die Nummer des passenden Wunsches) – alle, die ihn sich wünschen, erfahren dann von deiner Session:"
    ),
    "offer.alike_wish": "• **{wish}** „{topic}“",
    "edit.invalid": "Die Änderung ist noch nicht ganz richtig – bitte korrigiere:",
    "edit.unchanged": "Session {number} ist schon so – ich habe nichts geändert. {post}",
    "edit.ok": "Session {number} ist geändert; die Ankündigung zeigt den neuen Stand.",
    "edit.what": " ({fields})",
    "edit.what.title": "Titel",
    "edit.what.starts_at": "Termin",
    "edit.what.duration": "Dauer",
    "edit.what.format": "Format",
    "edit.what.link": "Link",
    "edit.what.seats": "Plätze",
    "edit.what.description": "Beschreibung",
    "edit.what.cogivers": "Co-Geber:innen",
    "edit.giver_told": "{actor} hat deine Session {number} „{title}“ geändert{what}. Die Ankündigung zeigt den neuen Stand: {post}",
    "edit.ok_overlap": plural(
        "count",
        one="Session {number} ist geändert. Hinweis: Zur selben Zeit läuft schon {overlaps}. Das ist erlaubt – vielleicht passt aber ein anderer Termin?",
        other="Session {number} ist geändert. Hinweis: Zur selben Zeit laufen schon {overlaps}. Das ist erlaubt – vielleicht passt aber ein anderer Termin?",
    ),
    "edit.notify": "Session {number} „{title}“ hat sich geändert. Jetzt: {when}, {duration} Minuten, Link: {link}",
    "edit.cancelled": "Session {number} ist abgesagt und kann nicht mehr geändert werden.",
    "edit.over": "Session {number} ist schon vorbei und kann nicht mehr geändert werden.",
    "edit.nothing": "Schreib unter den Befehl, was sich ändern soll, z. B.:\n{usage}",
    "cancel.ok": plural(
        "count",
        one="Session {number} ist abgesagt. {count} angemeldete Person bekommt Bescheid.",
        other="Session {number} ist abgesagt. {count} Angemeldete bekommen Bescheid.",
    ),
    "cancel.already": "Session {number} ist schon abgesagt.",
    "cancel.notify": "Session {number} „{title}“ ist leider abgesagt. {reason}",
    "cancel.reason": "Grund: {reason}",
    "cancel.ok_nobody": "Session {number} ist abgesagt. Es war niemand angemeldet.",
    "cancel.giver_told": "{actor} hat deine Session {number} „{title}“ abgesagt. {reason}",
    "repeat.when_past": "Der neue Termin {value} liegt in der Vergangenheit. Bitte wähle einen Termin in der Zukunft.",
    "repeat.when_too_far": "Der neue Termin {value} liegt mehr als ein Jahr in der Zukunft. Bitte wähle einen früheren.",
    "repeat.range_mismatch": (
        "Der neue Termin {value} dauert {minutes} Minuten, Session {number} aber {duration}. "
        "Die Wiederholung übernimmt die Dauer; bitte gib nur den Beginn an oder ändere die Dauer danach mit {edit}."
    ),
    "manage.forbidden": (
        "Session {number} ändern, absagen oder wiederholen dürfen nur die Session-Geber:in, Co-Geber:innen, Pat:innen "
        "und Admins."
    ),
    "session.unknown": "Eine Session Nr. {number} gibt es nicht. Die kommenden Sessions zeigt `!programm`.",
    "session.already_offered": "Diese Session hast du schon angeboten: Nr. {number} „{title}“. Ändern kannst du sie mit `!ändern {number}`.",
    # co-givers
    "cogivers.unknown": plural(
        "count",
        one="Wen meinst du mit „{names}“? Nenne Co-Geber:innen mit ihrer Matrix-ID, z. B. `Co-Geber:in: @name:server`, oder wähle sie beim Tippen von @ aus den Vorschlägen aus.",
        other="Wen meinst du mit „{names}“? Nenne Co-Geber:innen mit ihrer Matrix-ID, z. B. `Co-Geber:in: @name:server`, oder wähle sie beim Tippen von @ aus den Vorschlägen aus.",
    ),
    "cogivers.no_account": plural(
        "count",
        one="Das Konto {ids} gibt es nicht – ist die Matrix-ID vertippt? Am sichersten wählst du Co-Geber:innen beim Tippen von @ aus den Vorschlägen aus.",
        other="Die Konten {ids} gibt es nicht – sind die Matrix-IDs vertippt? Am sichersten wählst du Co-Geber:innen beim Tippen von @ aus den Vorschlägen aus.",
    ),
    "cogivers.giver": "{user} gibt die Session schon als Session-Geber:in – Co-Geber:innen sind weitere Personen.",
    "cogivers.not_member": plural(
        "count",
        one="{users} gehört nicht zu unserem Netzwerk und kann deshalb nicht Co-Geber:in sein.",
        other="{users} gehören nicht zu unserem Netzwerk und können deshalb nicht Co-Geber:innen sein.",
    ),
    "cogivers.too_many": "Das sind {count} Co-Geber:innen – möglich sind höchstens {max}.",
    "cogivers.named": (
        "{actor} hat dich als Co-Geber:in von Session {number} „{title}“ ({when}) eingetragen. Du kannst jetzt "
        "alles, was die Session-Geber:in kann: die Session ändern (`!ändern {number}`), absagen, wiederholen, die "
        "Teilnehmenden sehen (`!teilnehmende {number}`) und nach der Session die Rückmeldungen lesen "
        "(`!feedback {number}`). Erinnerungen bekommst du wie die Session-Geber:in. {post}"
    ),
    "cogivers.seat_freed": "Deine Anmeldung dazu habe ich gelöscht: Als Co-Geber:in brauchst du keinen Platz.",
    "cogivers.removed": "{actor} hat dich als Co-Geber:in von Session {number} „{title}“ ausgetragen.",
    # signups
    "signup.ok": "Du bist für Session {number} „{title}“ angemeldet ({when}). Bis dann!",
    "signup.waitlist": (
        "Session {number} „{title}“ ist ausgebucht – du stehst auf Platz {position} der Warteliste. "
        "Ich sage dir Bescheid, sobald ein Platz frei wird."
    ),
    "signup.already": "Du bist für Session {number} „{title}“ schon angemeldet.",
    "signup.already_waiting": "Du stehst für Session {number} „{title}“ schon auf der Warteliste, auf Platz {position}. Ich sage dir Bescheid, sobald ein Platz frei wird.",
    "signup.cancelled": "Session {number} „{title}“ ist abgesagt – eine Anmeldung ist nicht mehr möglich.",
    "signup.past": "Session {number} „{title}“ hat schon begonnen oder ist vorbei – eine Anmeldung ist nicht mehr möglich.",
    "signup.own": "Session {number} gibst du selbst – du bist sowieso dabei.",
    "signup.reaction_refused": "Deine Anmeldung hat nicht geklappt. {reason}",
    "signoff.ok": "Du bist von Session {number} „{title}“ abgemeldet.",
    "signoff.begun": "Session {number} „{title}“ hat schon begonnen oder ist vorbei – abmelden geht jetzt nicht mehr.",
    "signoff.own": "Session {number} „{title}“ ist deine eigene. Wenn sie nicht stattfinden kann, sag sie mit `!absagen {number}` ab.",
    "signoff.ok_reaction": (
        "Du bist von Session {number} „{title}“ abgemeldet. Dein 👍 auf der Ankündigung zählt nicht mehr – "
        "du kannst es entfernen."
    ),
    "signoff.ok_waiting": "Du stehst nicht mehr auf der Warteliste für Session {number} „{title}“.",
    "signoff.ok_waiting_reaction": (
        "Du stehst nicht mehr auf der Warteliste für Session {number} „{title}“. Dein 👍 auf der Ankündigung "
        "zählt nicht mehr – du kannst es entfernen."
    ),
    "signoff.by_reaction": (
        "Du hast dein 👍 entfernt – damit bist du von Session {number} „{title}“ abgemeldet, auch von deiner "
        "Anmeldung per Befehl. Wenn du doch kommen möchtest, reagiere wieder mit 👍."
    ),
    "signoff.not": "Für Session {number} „{title}“ warst du nicht angemeldet.",
    "notice.to": "{users}: {text}",
    "waitlist.promoted": "Für Session {number} „{title}“ ist ein Platz frei geworden – du bist jetzt fest angemeldet!",
    "waitlist.demoted": plural(
        "seats",
        one=(
            "Session {number} „{title}“ hat jetzt nur noch {seats} Platz, deshalb stehst du auf der "
            "Warteliste, auf Platz {position}. Ich sage dir Bescheid, sobald ein Platz frei wird."
        ),
        other=(
            "Session {number} „{title}“ hat jetzt nur noch {seats} Plätze, deshalb stehst du auf der "
            "Warteliste, auf Platz {position}. Ich sage dir Bescheid, sobald ein Platz frei wird."
        ),
    ),
    "participants.header": "**Teilnehmende von Session {number} „{title}“** ({count})",
    "message.more": "… und {count} weitere",
    "participants.none": "Noch niemand angemeldet.",
    "participants.line": "{position}. {name} ({user_id})",
    "participants.waiting": "**Warteliste** ({count})",
    "participants.forbidden": "Wer zu Session {number} kommt, sehen nur die Session-Geber:in, Co-Geber:innen, Pat:innen und Admins.",
    "participants.sent_dm": "Die Teilnehmenden von Session {number} „{title}“ habe ich dir per Direktnachricht geschickt.",
    "count.participants": plural("count", one="{count} teilnehmende Person", other="{count} Teilnehmende"),
    "count.with_waitlist": "{count} · {waiting} auf der Warteliste",
    # programme, mine, overview
    "programme.header": "**KIWI-Programm** (Seite {page} von {pages})",
    "programme.line": "**{number}** · {when} · {title} ({format}) · {giver} · {count} · {post}",
    "programme.givers": "{giver} mit {cogivers}",
    "people.and": "{first} und {last}",
    "programme.more": "Weitere Sessions: {next}",
    "programme.empty": "Zurzeit stehen keine Sessions im Programm. Biete doch selbst eine an: {offer}",
    "programme.no_page": plural(
        "pages",
        one="Seite {page} gibt es nicht – das Programm hat nur {pages} Seite.",
        other="Seite {page} gibt es nicht – das Programm hat {pages} Seiten.",
    ),
    # the programme page (web): …/p/<secret>
    "web.title": "KIWI-Programm",
    "web.skip": "Zum Inhalt springen",
    "web.for_person": "Deine persönliche Programmseite, {name}. Gib ihren Link bitte nicht weiter.",
    "web.nav": "Auf dieser Seite",
    "web.mine_given": "Meine Sessions",
    "web.mine_joined": "Meine Anmeldungen",
    "web.none_given": "Du gibst gerade keine Session.",
    "web.none_joined": "Du bist gerade für keine Session angemeldet.",
    "web.upcoming": "Kommende Sessions",
    "web.empty": "Zurzeit stehen keine Sessions im Programm.",
    "web.number": "Nr. {number}",
    "web.when": "Wann",
    "web.minutes": plural("minutes", one="{minutes} Minute", other="{minutes} Minuten"),
    "web.format": "Format",
    "web.giver": "Session-Geber:in",
    "web.seats": "Plätze",
    "web.seats_taken": plural(
        "seats", one="{taken} von {seats} Platz belegt", other="{taken} von {seats} Plätzen belegt"
    ),
    "web.seats_free": "unbegrenzt",
    "web.participants": "Teilnehmende",
    "web.link": "Video-Link",
    "web.calendar": "Kalender",
    "web.calendar_file": "Kalenderdatei (.ics)",
    "web.full": "Ausgebucht",
    "web.full_hint": "Alle Plätze sind belegt – wer sich jetzt anmeldet, kommt auf die Warteliste.",
    "web.cancelled": "Abgesagt",
    "web.begun": "Hat schon begonnen – an- und abmelden geht nicht mehr.",
    "web.yours": "Das ist deine Session.",
    "web.signed_up": "Du bist angemeldet.",
    "web.waiting_place": "Du stehst auf Platz {position} der Warteliste.",
    "web.sign_up": "Anmelden",
    "web.sign_up_waiting": "Auf die Warteliste",
    "web.sign_off": "Abmelden",
    "web.sign_off_waiting": "Von der Warteliste abmelden",
    "web.pages": "Seiten",
    "web.page_of": "Seite {page} von {pages}",
    "web.previous": "Vorige Seite",
    "web.next": "Nächste Seite",
    "web.forged": (
        "Das hat nicht geklappt: Das Formular war veraltet oder unvollständig, deshalb wurde nichts geändert. "
        "Bitte versuche es hier noch einmal."
    ),
    "web.slow_down": "Das waren gerade sehr viele Klicks auf einmal – diesen habe ich nicht ausgeführt. Bitte versuch es ab {time} noch einmal.",
    "web.not_found_title": "Dieser Link führt nirgendwohin",
    "web.not_found_text": "Hast du ihn aus einer Nachricht des KIWI-Bots? Schick dem Bot im Chat !kalender, dann bekommst du neue Links zu deinen Kalendern und zur Programmseite.",
    "web.too_many_title": "Gerade zu viele Anfragen",
    "web.too_many_text": "Von hier kamen gerade sehr viele Anfragen mit ungültigen Links. Bitte versuch es in ein paar Minuten noch einmal. Neue Links bekommst du, wenn du dem KIWI-Bot im Chat !kalender schickst.",
    "post.link_text": "Ankündigung",
    "post.link_pending": "(wird gerade veröffentlicht, der Link folgt)",
    "mine.given": "**Sessions, die du gibst**",
    "mine.joined": "**Deine Anmeldungen**",
    "mine.line": "**{number}** · {when} · {title} · {post}",
    "mine.line_state": "**{number}** · {when} · {title} {state} · {post}",
    "mine.waiting": "(Warteliste, Platz {position})",
    "mine.cancelled": "(abgesagt)",
    "mine.cohost": "(als Co-Geber:in)",
    "mine.none": "Du gibst gerade keine Session und bist nirgends angemeldet. Was ansteht, zeigt {programme}.",
    # calendars (!kalender) and the calendar data
    "calendar.sent_dm": "Ich habe dir eine Direktnachricht geschickt.",
    "calendar.off": "Kalender-Links gibt es hier nicht: Die Webseite des Bots ist abgeschaltet (`web.enabled`). Das Admin-Team kann sie einschalten.",
    "calendar.too_many": "Du hast schon {max} gültige Kalender-Links. {renew} macht alle ungültig und gibt dir einen neuen.",
    "calendar.bad_word": "„{value}“ verstehe ich hier nicht. {usage} schickt dir deine Kalender-Links, mit `neu` ganz neue (die alten funktionieren dann nicht mehr).",
    "calendar.intro": "📅 **Deine KIWI-Kalender** – persönliche Links, bitte nicht weitergeben.",
    "calendar.renewed": "📅 **Deine neuen KIWI-Kalender-Links.** Die alten funktionieren ab sofort nicht mehr – bitte trage die neuen in deinen Kalendern ein.",
    "calendar.links": (
        "{intro}\n"
        "**Meine Sessions** (die du gibst und für die du angemeldet bist, Wartelistenplätze markiert):\n{mine}\n"
        "Dasselbe zum direkten Abonnieren (Handy, Outlook): {mine_webcal}\n"
        "**Ganzes Programm** (alle kommenden Sessions):\n{programme}\n"
        "Dasselbe zum direkten Abonnieren: {programme_webcal}\n"
        "**Programmseite** im Browser (anmelden und abmelden per Klick):\n{page}\n"
        "\n**So abonnierst du einen Kalender** – Link kopieren, dann:\n"
        "• Outlook: Kalender hinzufügen → Aus dem Internet abonnieren → Link einfügen\n"
        "• Thunderbird: Neuer Kalender → Im Netzwerk → Link einfügen\n"
        "• Google Kalender: Weitere Kalender (+) → Per URL → Link einfügen\n"
        "• iPhone: Einstellungen → Kalender → Accounts → Account hinzufügen → Andere → Kalenderabo hinzufügen → Link einfügen\n"
        "Dein Kalender holt Änderungen dann selbst ab (meist stündlich; Google braucht länger).\n"
        "\n{outro}"
    ),
    "calendar.outro": "Links, die du früher bekommen hast, funktionieren weiter. {renew} macht alle alten ungültig – etwa wenn jemand anderes sie gesehen hat.",
    "calendar.outro_renewed": "{renew} macht bei Bedarf wieder neue Links.",
    "calendar.outro_first": "{renew} macht deine Links ungültig und gibt dir neue – etwa wenn jemand anderes sie gesehen hat.",
    "ical.calname_mine": "KIWI – meine Sessions",
    "ical.calname_programme": "KIWI-Programm",
    "ical.file_mine": "kiwi-meine-sessions.ics",
    "ical.file_programme": "kiwi-programm.ics",
    "ical.summary_cancelled": "Abgesagt: {title}",
    "ical.summary_waiting": "{title} (Warteliste)",
    "ical.cancelled": "Diese Session ist abgesagt.",
    "ical.reason": "Grund: {reason}",
    "ical.waiting": "Du stehst auf der Warteliste – ich sage dir im Chat Bescheid, sobald ein Platz frei wird.",
    "ical.number": "KIWI-Session {number}",
    "ical.format": "Format: {format} – {about}",
    "ical.giver": "Session-Geber:in: {giver}",
    "ical.link": "Link: {link}",
    "ical.post": "Ankündigung: {post}",
    "overview.title": "📌 **KIWI-Programm – die nächsten Sessions**",
    "overview.empty": "Gerade steht nichts an.",
    "overview.more": "… und {count} weitere (`!programm 2`).",
    "overview.footer": "Anmelden: 👍 auf die Ankündigung. Selbst eine Session anbieten: {offer}",
    "overview.calendar": "📅 Alle deine Sessions im eigenen Kalender (Outlook, Handy): {calendar}",
    # news post
    "news.title": "📣 **KIWI-Session {number}: {title}**",
    "news.cancelled_title": "❌ **ABGESAGT – KIWI-Session {number}: {title}**",
    "news.format": "**Format:** {format} – {about}",
    "news.when": "**Wann:** {when}, {time} ({duration} Minuten)",
    "news.giver": "**Session-Geber:in:** {giver}",
    "news.cogivers": plural("count", one="**Co-Geber:in:** {cogivers}", other="**Co-Geber:innen:** {cogivers}"),
    "news.seats": "**Plätze:** {seats}",
    "news.link": "**Link:** {link}",
    "news.wish": "**Wunschthema:** {wish} „{topic}“",
    "news.no_link": "folgt",
    "news.signup": "Reagiere mit {reaction} auf diese Nachricht, um dich anzumelden – oder schreibe {join}.",
    "news.started": "🔒 Die Session hat begonnen – anmelden geht nicht mehr.",
    "news.calendar": "📅 {file} – alle deine Sessions im eigenen Kalender: {calendar}",
    "news.calendar_file": "In den Kalender",
    # patrons
    "patron.list": "**Pat:innen**, die Session-Geber:innen unterstützen:",
    "patron.none": "Es sind noch keine Pat:innen eingetragen.",
    "patron.added": "{user} ist jetzt Pat:in und wird über neue Sessions informiert.",
    "patron.already": "{user} ist schon Pat:in.",
    "patron.removed": "{user} ist nicht mehr Pat:in.",
    "patron.not": "{user} ist keine Pat:in.",
    "patron.in_config": "{user} ist in der Konfiguration als Pat:in eingetragen; das kann nur dort geändert werden.",
    "patron.forbidden": "Pat:innen hinzufügen oder entfernen dürfen nur Admins.",
    "patron.which": "Wen meinst du? Nenne die Person mit ihrer Matrix-ID, z. B.:\n{usage}",
    "patron.new_session": plural(
        "count",
        one="{patrons}: Neue Session {number} „{title}“ von {giver}. Magst du bei der Vorbereitung helfen?",
        other="{patrons}: Neue Session {number} „{title}“ von {giver}. Mögt ihr bei der Vorbereitung helfen?",
    ),
    # reminders and digest
    "cmd.reminders": "wie ich dich erinnere: `thread` (im Faden der Ankündigung), `dm` (Direktnachricht) oder `aus`; `an` stellt den Faden wieder ein",
    "cmd.digest": "zeigt das Tagesprogramm hier",
    "arg.choice": "thread|dm|aus|an",
    "reminders.set_thread": "Alles klar: Ich erinnere dich im Faden der Ankündigung.",
    "reminders.set_dm": "Alles klar: Ich erinnere dich per Direktnachricht.",
    "reminders.set_off": "Alles klar: Ich schicke dir keine Erinnerungen mehr.",
    "reminders.bad_choice": "„{value}“ kenne ich nicht. Möglich sind: thread (im Faden), dm (Direktnachricht), aus – und an, um wieder wie üblich im Faden erinnert zu werden.",
    "reminder.late": "(verspätet) ",
    "reminder.thread": "⏰ {late}{users}: Erinnerung an Session {number} „{title}“ – Beginn {when}, {duration} Minuten. Link: {link}",
    "reminder.still_waiting": plural(
        "count",
        one="{users}: Du stehst noch auf der Warteliste – ich sage dir Bescheid, wenn ein Platz frei wird.",
        other="{users}: Ihr steht noch auf der Warteliste – ich sage euch Bescheid, wenn ein Platz frei wird.",
    ),
    "reminder.direct": "⏰ {late}Erinnerung an Session {number} „{title}“ – Beginn {when}, {duration} Minuten. Link: {link} ({post})",
    "reminder.direct_waiting": "⏰ {late}Session {number} „{title}“ beginnt {when}. Du stehst noch auf der Warteliste – ich sage Bescheid, wenn ein Platz frei wird. ({post})",
    # feedback after a session
    "feedback.ask_thread": (
        "💬 {users}: Session {number} „{title}“ ist vorbei – wie war es für dich? Deine Rückmeldung hilft {givers}. "
        "Schreib mir am besten per Direktnachricht (einen Direktchat mit mir kannst du jederzeit beginnen): "
        "`!feedback {number} Was hat geholfen, was könnte besser sein?` – gern mit einer Note von 1 (schwach) bis "
        "5 (sehr gut) vorweg, z. B. `!feedback {number} 5 Sehr praxisnah!` {anonymity} Möglich bis {until}."
    ),
    "feedback.ask_direct": (
        "💬 Session {number} „{title}“ ist vorbei – wie war es für dich? Deine Rückmeldung hilft {givers}. "
        "Antworte mir hier: `!feedback {number} Was hat geholfen, was könnte besser sein?` – gern mit einer Note "
        "von 1 (schwach) bis 5 (sehr gut) vorweg, z. B. `!feedback {number} 5 Sehr praxisnah!` Du kannst mir "
        "auch einfach hier schreiben, ohne Befehl – dann nehme ich das als deine Rückmeldung. {anonymity} "
        "Möglich bis {until}. ({post})"
    ),
    "feedback.anonymity": (
        "Die Session-Geber:innen sehen Rückmeldungen ohne Namen und erst, wenn mindestens {shown_from} da sind. "
        "Ganz anonym ist das in kleinen Runden trotzdem nicht: Wer weiß, wer dabei war, kann manchmal erraten, "
        "von wem eine Rückmeldung ist."
    ),
    "feedback.thanks": (
        "Danke für deine Rückmeldung zu Session {number} „{title}“! {rating}{comment}Die Session-Geber:innen sehen "
        "sie ohne deinen Namen, sobald mindestens {shown_from} Rückmeldungen da sind. Bis {until} kannst du sie ersetzen: Schick einfach `!feedback {number} …` noch einmal."
    ),
    "feedback.replaced": (
        "Deine Rückmeldung zu Session {number} „{title}“ ist aktualisiert. So steht sie jetzt: {rating}{comment}"
        "Die Session-Geber:innen sehen sie ohne deinen Namen, sobald mindestens {shown_from} Rückmeldungen da sind. "
        "Ersetzen kannst du sie bis {until}."
    ),
    "feedback.your_rating": "Deine Note: {rating} von 5. ",
    "feedback.rating_kept": (
        "{rating}(Das ist deine Note von vorher: Deine neue Antwort enthält keine. Eine neue Note schreibst du "
        "vorweg, z. B. `!feedback {number} 3 …`) "
    ),
    "feedback.your_comment": "Dein Text: „{comment}“. ",
    "feedback.taken_plain": (
        "Deine Nachricht habe ich als Rückmeldung zu Session {number} „{title}“ genommen – danach hatte ich dich "
        "gefragt. Ändern kannst du sie mit `!feedback {number} …`."
    ),
    "feedback.which": (
        "Ist das eine Rückmeldung? Ich habe dich zu mehreren Sessions gefragt – schreib bitte dazu, zu welcher:\n"
        "{choices}\nAlle Befehle zeigt {help}."
    ),
    "feedback.which_one": "`!feedback {number} …` für Session {number} „{title}“",
    "feedback.thanks_room": (
        "Danke! Deine Rückmeldung ist gespeichert – die Bestätigung schicke ich dir per Direktnachricht. "
        "Rückmeldungen schreibst du am besten direkt im Direktchat mit mir."
    ),
    "feedback.cancelled": "Session {number} „{title}“ wurde abgesagt – dazu gibt es keine Rückmeldungen.",
    "feedback.own": (
        "Session {number} „{title}“ gibst du selbst – Rückmeldung geben die Teilnehmenden. "
        "Was sie geschrieben haben, zeigt dir `!feedback {number}`."
    ),
    "feedback.waiting": "Bei Session {number} „{title}“ standest du auf der Warteliste – Rückmeldung geben nur die, die einen Platz hatten.",
    "feedback.not_participant": "Für Session {number} „{title}“ warst du nicht angemeldet – Rückmeldung geben nur die Teilnehmenden.",
    "feedback.not_ended": "Session {number} „{title}“ ist noch nicht vorbei (Ende: {end}). Deine Rückmeldung kannst du danach geben.",
    "feedback.too_late": plural(
        "days",
        one="Für eine Rückmeldung zu Session {number} „{title}“ ist es leider zu spät: Ich nehme sie bis {days} Tag nach dem Ende an, hier bis {until}.",
        other="Für eine Rückmeldung zu Session {number} „{title}“ ist es leider zu spät: Ich nehme sie bis {days} Tage nach dem Ende an, hier bis {until}.",
    ),
    "feedback.bad_rating": (
        "„{value}“ verstehe ich nicht als Note. Eine Note ist eine ganze Zahl von 1 (schwach) bis 5 (sehr gut) "
        "vor dem Text, z. B. `!feedback 7 4 Gut erklärt`. Ohne Note schreibst du einfach nur den Text."
    ),
    "feedback.too_long": "Deine Rückmeldung ist {length} Zeichen lang, möglich sind höchstens {max}. Bitte kürze sie etwas.",
    "feedback.empty": (
        "Da fehlt noch deine Rückmeldung: Schreib hinter die Nummer einen Text, eine Note von 1 bis 5 oder beides, "
        "z. B. `!feedback 7 4 Gut erklärt`."
    ),
    "feedback.how": (
        "So gibst du Rückmeldung zu Session {number} „{title}“: `!feedback {number} Was hat geholfen, was könnte "
        "besser sein?` – gern mit einer Note von 1 (schwach) bis 5 (sehr gut) vorweg. Möglich bis {until}.{given}"
    ),
    "feedback.how_given": " Du hast schon Rückmeldung gegeben; eine neue ersetzt sie.",
    "feedback.forbidden": (
        "Die Rückmeldungen zu Session {number} „{title}“ sehen nur die Session-Geber:innen "
        "(Pat:innen und Admins nur Anzahl und Durchschnittsnote)."
    ),
    "feedback.summary_not_ended": (
        "Session {number} „{title}“ ist noch nicht vorbei (Ende: {end}). Danach frage ich die Teilnehmenden nach "
        "ihrer Rückmeldung."
    ),
    "feedback.summary_sent": "Die Rückmeldungen zu Session {number} „{title}“ habe ich dir per Direktnachricht geschickt.",
    "feedback.summary.title": "📊 **Rückmeldungen zu Session {number} „{title}“** ({when})",
    "feedback.summary.counts": "{answers} {of}",
    "feedback.summary.answers": plural("count", one="{count} Rückmeldung", other="{count} Rückmeldungen"),
    "feedback.summary.of": plural(
        "participants", one="von {participants} teilnehmenden Person", other="von {participants} Teilnehmenden"
    ),
    "feedback.summary.average": plural(
        "rated",
        one="Durchschnittsnote: **{average}** von 5 ({rated} Note)",
        other="Durchschnittsnote: **{average}** von 5 ({rated} Noten)",
    ),
    "feedback.summary.no_rating": "Noch keine Note vergeben.",
    "feedback.summary.too_few": (
        "Noten und Kommentare zeige ich erst ab {shown_from} Rückmeldungen – bei weniger wäre leicht zu erraten, "
        "von wem sie sind."
    ),
    "feedback.summary.counts_only": "Die Kommentare sehen nur die Session-Geber:innen.",
    "feedback.summary.comments": plural(
        "count", one="**Kommentar** (ohne Namen):", other="**Kommentare** (ohne Namen, alphabetisch):"
    ),
    "feedback.summary.comment": "– {comment}",
    "feedback.summary.comment_rated": "– {comment} (Note {rating})",
    "feedback.summary.no_comments": "Noch keine Kommentare.",
    "feedback.summary.footer": (
        "Kommen weitere Rückmeldungen, schicke ich dir höchstens einmal am Tag eine neue Übersicht. "
        "Den aktuellen Stand zeigt `!feedback {number}`."
    ),
    "digest.title": "☀️ **KIWI-Tagesprogramm für {date}**",
    "digest.today": "**Heute**",
    "digest.none_today": "Heute keine Sessions.",
    "digest.soon": plural("days", one="**Demnächst** (morgen)", other="**Demnächst** (nächste {days} Tage)"),
    "digest.line": "{when} · {title} ({format}) · {giver} · {count} · {post}",
    "digest.free": plural("free", one="{free} Platz frei", other="{free} Plätze frei"),
    "digest.full": "ausgebucht",
    "digest.full_waiting": "ausgebucht, {waiting} auf der Warteliste",
    "digest.empty": "☀️ KIWI-Tagesprogramm für {date}: heute keine Sessions.",
    # statistics (admins and patrons; the monthly report)
    "cmd.statistics": "zeigt die Zahlen des Programms je Monat als Text, Diagramm (PNG) und Tabelle (CSV) – nur für Admins und Pat:innen; ohne Zeitraum die letzten 12 vollen Monate, sonst z. B. `2026`, `01.2026 06.2026`, `seit März 2026` oder `bis heute`",
    "arg.period": "Zeitraum",
    "stats.forbidden": "Die Statistik sehen nur Admins und Pat:innen. Wenn du Zahlen brauchst, frag bitte das Admin-Team.",
    "stats.bad_period": "Den Zeitraum „{value}“ verstehe ich nicht. Möglich sind z. B. {examples}, „März 2026“, „Januar bis Juni 2026“, „November“, „Q4 2026“, „diesen Monat“, „letzter Monat“, „letzte 3 Monate“, „letztes Jahr“, „seit März 2026“, „seit 1.11.26“ und „bis heute“ (alles seit dem ersten erfassten Monat). Ohne Angabe zeige ich die letzten 12 vollen Monate.",
    "stats.future": "Der Zeitraum „{value}“ hat noch nicht begonnen. Nenne einen vergangenen Zeitraum, z. B. {examples}; ohne Angabe zeige ich die letzten 12 vollen Monate.",
    "stats.too_long": "Das sind mehr als {max} Monate – so viele passen nicht lesbar in ein Diagramm. Bitte wähle einen kürzeren Zeitraum, z. B. {examples}.",
    "stats.period": "{first} – {last}",
    "stats.title": "📊 **KIWI-Statistik {period}**",
    "stats.total": "**Im ganzen Zeitraum:** {figures}",
    "stats.total_month": "**Im Monat:** {figures}",
    "stats.months_header": "**Je Monat:**",
    "stats.month_line": "{month}: {figures}",
    "stats.empty_months": "{first} bis {last}: keine Sessions",
    "stats.figures": "{sessions} ({formats}) · {people} · {fill} · {givers} · {cancelled} · {rating}",
    "stats.figures_none": "{sessions} · {cancelled}",
    "stats.sessions": plural("count", one="{count} Session gehalten", other="{count} Sessions gehalten"),
    "stats.format_count": "{format} {count}",
    "stats.people": "{participations} {distinct}",
    "stats.participations": plural("count", one="{count} Teilnahme", other="{count} Teilnahmen"),
    "stats.distinct": plural("count", one="von {count} Person", other="von {count} verschiedenen Personen"),
    "stats.fill": "Auslastung {rate} % der begrenzten Plätze",
    "stats.fill_none": "keine Session mit begrenzten Plätzen",
    "stats.givers": "{givers}, {first}",
    "stats.giver_count": plural("count", one="{count} Session-Geber:in", other="{count} Session-Geber:innen"),
    "stats.first_time": "davon {count} zum ersten Mal",
    "stats.cancelled": "{count} abgesagt",
    "stats.rating": plural(
        "count",
        one="Durchschnittsnote {average} von 5 ({count} Note)",
        other="Durchschnittsnote {average} von 5 ({count} Noten)",
    ),
    "stats.rating_none": "noch keine Noten",
    "stats.files": "Dieselben Zahlen als Diagramm (PNG) und als Tabelle (CSV, für Excel) schicke ich als Dateien hinterher.",
    "stats.file_name": "kiwi-statistik",
    "stats.chart.title": "KIWI-Statistik {period}",
    "stats.chart.sessions": "Gehaltene Sessions nach Format",
    "stats.chart.people": "Teilnahmen und verschiedene Teilnehmende",
    "stats.chart.givers": "Session-Geber:innen und Absagen",
    "stats.chart.quality": "Auslastung und Feedback",
    "stats.chart.count": "Anzahl",
    "stats.chart.fill_axis": "Auslastung in %",
    "stats.chart.rating_axis": "Durchschnittsnote (1–5)",
    "stats.csv.year": "Jahr",
    "stats.csv.month": "Monat",
    "stats.csv.sessions": "Sessions gehalten",
    "stats.csv.participations": "Teilnahmen",
    "stats.csv.distinct": "Verschiedene Teilnehmende",
    "stats.csv.seats": "Begrenzte Plätze",
    "stats.csv.seated": "Davon besetzt",
    "stats.csv.fill": "Auslastung (%)",
    "stats.csv.givers": "Session-Geber:innen",
    "stats.csv.first_time": "Davon zum ersten Mal",
    "stats.csv.cancelled": "Abgesagt",
    "stats.csv.rating": "Feedback-Durchschnitt (1–5)",
    "stats.csv.ratings": "Anzahl Noten",
    "access.not_member": "Entschuldigung – KIWI ist nur für Mitglieder unseres Netzwerks. Wenn du dazugehören solltest, wende dich bitte an das Admin-Team.",
    "limits.slow_down": "Das sind gerade sehr viele Befehle auf einmal (mehr als {limit} pro Minute). Diesen und alle weiteren Befehle führe ich vorerst nicht aus – bitte schick sie ab {time} noch einmal.",
    "limits.still_held": "Auch diesen Befehl führe ich noch nicht aus. Bitte schick ihn ab {time} noch einmal.",
    "limits.too_many_offers": plural(
        "max",
        one="Du hast schon {max} kommende Session angeboten – mehr geht gleichzeitig nicht. Sobald sie vorbei ist, kannst du die nächste anbieten.",
        other="Du hast schon {max} kommende Sessions angeboten – mehr gehen gleichzeitig nicht. Sobald eine vorbei ist, kannst du die nächste anbieten.",
    ),
}
