"""Deutsch: der Lernkreislauf – Unterlagen (`!material`), das Archiv (`!archiv`) und Themenwünsche (`!wunsch`).

Die Einträge werden in `kiwibot.i18n` mit den übrigen zusammengeführt; `loop_en.py` hat dieselben Schlüssel.
"""

from kiwibot.i18n.plurals import Plural, plural

MESSAGES: dict[str, str | Plural] = {
    # commands
    "cmd.material": (
        "teilt einen Link zu Unterlagen einer Session, gern mit Beschreibung – auch nach der Session "
        "(Session-Geber:innen, Co-Geber:innen, Pat:innen, Admins); `entfernen 2` nimmt Nr. 2 heraus, ohne Link zeigt es alle"
    ),
    "cmd.archive": "durchsucht vergangene Sessions, z. B. `!archiv E-Akte` oder `!archiv E-Akte 2` für Seite 2",
    "cmd.wish": (
        "äußert einen Themenwunsch (erste Zeile: Thema, darunter gern eine Beschreibung); "
        "`schließen W7` (auch `löschen`, `zurücknehmen`) nimmt einen Wunsch zurück"
    ),
    "cmd.wishes": "zeigt die offenen Themenwünsche, die gefragtesten zuerst",
    "arg.material": "Link [Beschreibung]",
    "arg.search": "Suchwort",
    "arg.topic": "Thema",
    "error.wish_number": (
        "„{value}“ ist die Nummer eines Themenwunsches. Hier ist eine Session-Nummer gemeint, z. B. 7 – "
        "die Sessions zeigt `!programm`, die Wünsche `!wünsche`."
    ),
    # materials
    "news.materials": "**Unterlagen:**",
    "material.line": "📎 {position}. {link}",
    "material.header": "**Unterlagen zu Session {number} „{title}“** {post}",
    "material.none": "Zu Session {number} gibt es noch keine Unterlagen. Teilen kannst du welche mit {usage}.",
    "material.added": plural(
        "count",
        one=(
            "Danke! Die Unterlagen stehen als Nr. {position} bei Session {number}; die Ankündigung zeigt sie, "
            "und {count} teilnehmende Person bekommt Bescheid."
        ),
        other=(
            "Danke! Die Unterlagen stehen als Nr. {position} bei Session {number}; die Ankündigung zeigt sie, "
            "und {count} Teilnehmende bekommen Bescheid."
        ),
    ),
    "material.added_nobody_yet": (
        "Danke! Die Unterlagen stehen als Nr. {position} bei Session {number}; die Ankündigung zeigt sie. "
        "Wer sich noch anmeldet, findet sie dort."
    ),
    "material.notice": "📎 Neue Unterlagen zu Session {number} „{title}“: {material}",
    "material.removed": "Unterlage Nr. {position} ({material}) ist bei Session {number} entfernt.",
    "material.forbidden": (
        "Unterlagen zu Session {number} teilen dürfen nur die Session-Geber:in, Co-Geber:innen, Pat:innen und Admins. "
        "Hast du etwas Passendes? Schick es gern der Session-Geber:in."
    ),
    "material.cancelled": "Session {number} „{title}“ ist abgesagt – dazu lassen sich keine Unterlagen teilen.",
    "material.bad_link": (
        "Den Link „{value}“ nehme ich so nicht: Unterlagen müssen ein Weblink sein, der mit https:// (oder http://) "
        "beginnt und keine Leerzeichen enthält, z. B. `https://cloud.example.org/folien.pdf`."
    ),
    "material.text_too_long": "Die Beschreibung ist {length} Zeichen lang, möglich sind höchstens {max}. Bitte kürze sie.",
    "material.duplicate": "Dieser Link steht bei Session {number} schon als Nr. {position}.",
    "material.too_many": (
        "Session {number} hat schon {max} Unterlagen – mehr gehen nicht. Entferne eine mit "
        "`!material {number} entfernen <Nr.>` oder sammle die Links an einem Ort."
    ),
    "material.which": "Welche Unterlage soll weg? Gib ihre Nummer an, z. B. {usage}.",
    "material.no_such": plural(
        "count",
        one="Session {number} hat nur {count} Unterlage – eine Nr. {position} gibt es nicht.",
        other="Session {number} hat {count} Unterlagen – eine Nr. {position} gibt es nicht.",
    ),
    "material.none_to_remove": "Session {number} hat keine Unterlagen, die sich entfernen ließen.",
    # the archive
    "archive.header": "**KIWI-Archiv: vergangene Sessions** (Seite {page} von {pages})",
    "archive.header_search": plural(
        "count",
        one="**KIWI-Archiv: {count} Session zu „{query}“** (Seite {page} von {pages})",
        other="**KIWI-Archiv: {count} Sessions zu „{query}“** (Seite {page} von {pages})",
    ),
    "archive.line": "**{when}** · Nr. {number} · {title} ({format}) · {giver} · {count} · {post}",
    "archive.material": "    {line}",
    "archive.more": "Weitere: {next}",
    "archive.empty": "Im Archiv ist noch nichts: Bisher hat keine Session stattgefunden.",
    "archive.nothing_found": (
        "Zu „{query}“ habe ich im Archiv keine Session gefunden. Probier ein anderes Wort oder einen Wortanfang – "
        "alle vergangenen Sessions zeigt {all}."
    ),
    "archive.no_page": plural(
        "pages",
        one="Seite {page} gibt es nicht – das Archiv hat nur {pages} Seite.",
        other="Seite {page} gibt es nicht – das Archiv hat {pages} Seiten.",
    ),
    "archive.no_page_search": plural(
        "pages",
        one="Seite {page} gibt es nicht – zu „{query}“ gibt es nur {pages} Seite.",
        other="Seite {page} gibt es nicht – zu „{query}“ gibt es {pages} Seiten.",
    ),
    "archive.query_too_long": "Der Suchtext ist {length} Zeichen lang, möglich sind höchstens {max}. Ein, zwei Wörter genügen.",
    "archive.query_empty": "In „{value}“ steht kein Wort, nach dem ich suchen könnte. Versuch es z. B. mit `!archiv E-Akte`.",
    # wishes
    "wish.usage": (
        "Wünsch dir ein Thema: {usage} – in der ersten Zeile das Thema, darunter gern, was dich daran interessiert. "
        "Die offenen Wünsche zeigt {wishes}."
    ),
    "wish.created": (
        "Danke! Dein Wunsch hat die Nummer **{wish}**: „{topic}“. Ich stelle ihn in den Programmraum – "
        "wer auch Interesse hat, reagiert mit 👍."
    ),
    "wish.similar": (
        "Ähnliche Wünsche gibt es schon – passt einer davon zu deinem Thema? Dann zeig dort dein Interesse mit 👍 und nimm "
        "deinen mit `!wunsch schließen {wish}` zurück, damit sich das Interesse an einer Stelle sammelt:"
    ),
    "wish.similar_line": "• **{wish}** „{topic}“ {post}",
    "wish.empty": "Was wünschst du dir? Schreib das Thema hinter den Befehl, z. B. `!wunsch Barrierefreie PDFs`.",
    "wish.session_number_as_topic": (
        "„{value}“ ist eine Nummer, kein Thema. Schreib das Thema in Worten, z. B. `!wunsch Barrierefreie PDFs`; "
        "zu einer Session meldest du dich mit `!anmelden {value}` an."
    ),
    "wish.number_as_topic": (
        "„{value}“ ist eine Wunschnummer, kein Thema. Einen Wunsch schließen: `!wunsch schließen {value}`; "
        "alle offenen Wünsche zeigt `!wünsche`."
    ),
    "wish.command_as_topic": (
        "„{value}“ ist kein Thema, sondern sieht nach einem Befehl aus – als Wunsch stelle ich das nicht ein. "
        "Einen Wunsch nimmst du so zurück: {usage}; alle offenen Wünsche zeigt `!wünsche`."
    ),
    "wish.topic_too_long": (
        "Das Thema ist {length} Zeichen lang, möglich sind höchstens {max}. Bitte kürze es – "
        "Einzelheiten passen in die Zeilen darunter."
    ),
    "wish.description_too_long": "Die Beschreibung ist {length} Zeichen lang, möglich sind höchstens {max}. Bitte kürze sie.",
    "wish.already_wished": "Das hast du dir schon gewünscht: **{wish}** „{topic}“.",
    "wish.wished_by_others": "Das wünschen sich schon andere: **{wish}** „{topic}“. Zeig dein Interesse mit 👍 auf den Wunsch: {post}",
    "wish.too_many": plural(
        "max",
        one="Du hast schon {max} offenen Wunsch. Sobald er erfüllt oder geschlossen ist, kannst du dir etwas Neues wünschen.",
        other="Du hast schon {max} offene Wünsche. Sobald einer erfüllt oder geschlossen ist, kannst du dir etwas Neues wünschen.",
    ),
    "wish.unknown": "Einen Wunsch {wish} gibt es nicht. Die offenen Wünsche zeigt `!wünsche`.",
    "wish.bad_number": "„{value}“ ist keine Wunschnummer. Wunschnummern sehen so aus: W7 – die offenen Wünsche zeigt `!wünsche`.",
    "wish.session_number": (
        "„{value}“ ist eine Session-Nummer. Hier ist die Nummer eines Themenwunsches gemeint, z. B. W7 – "
        "die offenen Wünsche zeigt `!wünsche`."
    ),
    "wish.which": "Welchen Wunsch meinst du? Gib seine Nummer an, z. B. {usage}.",
    "wish.close_some_failed": "Diese Wünsche habe ich nicht geschlossen:",
    "wish.already_fulfilled": "Wunsch {wish} ist schon erfüllt – durch Session {number}.",
    "wish.already_closed": "Wunsch {wish} ist schon geschlossen.",
    "wish.close_forbidden": "Wunsch {wish} schließen dürfen nur die Person, die ihn sich gewünscht hat, Pat:innen und Admins.",
    "wish.closed": "Wunsch {wish} „{topic}“ ist geschlossen.",
    "wish.closed_told": "{actor} hat deinen Wunsch {wish} „{topic}“ geschlossen.",
    "wish.fulfilled_notice": (
        "💡 Wunsch {wish} „{topic}“ wird erfüllt: Session {number} „{title}“ am {when}. "
        "Anmelden kannst du dich mit 👍 auf die {post} oder mit `!anmelden {number}`."
    ),
    "wish.reopened_cancelled": (
        "↩️ Session {number} „{title}“ ist abgesagt. Wunsch {wish} „{topic}“ ist damit wieder offen – "
        "dein Interesse bleibt gezählt: {post}"
    ),
    "wish.reopened_changed": (
        "↩️ Session {number} „{title}“ nimmt Wunsch {wish} „{topic}“ nicht mehr auf. Der Wunsch ist wieder offen – "
        "dein Interesse bleibt gezählt: {post}"
    ),
    "wish.post_title": "💡 **Wunschthema {wish}: {topic}**",
    "wish.post_title_fulfilled": "✅ **Erfüllt – Wunschthema {wish}: {topic}**",
    "wish.post_title_closed": "🔒 **Geschlossen – Wunschthema {wish}: {topic}**",
    "wish.post_by": "Gewünscht von {wisher}",
    "wish.post_by_former": "Gewünscht von einem ehemaligen Mitglied",
    "wish.interest": plural("count", one="{count} Person interessiert", other="{count} Personen interessiert"),
    "wish.post_react": "Reagiere mit {reaction}, wenn du auch Interesse hast.",
    "wish.post_offer": "Du kannst dazu eine Session geben? Biete sie mit {offer} an und schreib die Zeile `Wunsch: {wish}` dazu.",
    "wish.post_session": "Dazu gibt es jetzt Session {number} „{title}“ am {when}: {post}",
    "wishes.header": plural(
        "count",
        one="**Offene Themenwünsche** ({count})",
        other="**Offene Themenwünsche** ({count}, die gefragtesten zuerst)",
    ),
    "wishes.line": "**{wish}** · {topic} · {count} · von {wisher} am {when} · {post}",
    "wishes.line_former": "**{wish}** · {topic} · {count} · von einem ehemaligen Mitglied am {when} · {post}",
    "wishes.more": "… und {count} weitere",
    "wishes.footer": "Interesse zeigen: 👍 auf den Wunsch. Eine Session dazu anbieten: {offer} mit der Zeile `Wunsch: W…`.",
    "wishes.none": "Zurzeit gibt es keine offenen Themenwünsche. Wünsch dir selbst etwas: {wish}",
}
