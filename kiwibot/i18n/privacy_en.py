"""English: privacy – `!mydata` (access) and `!forget` (erasure), and how former members are shown.

Merged with the rest in `kiwibot.i18n`; `privacy_de.py` has the same keys.
"""

from kiwibot.i18n.plurals import Plural, plural

MESSAGES: dict[str, str | Plural] = {
    # commands
    "cmd.mydata": "sends you by direct message everything I store about you (with a file), and when it is deleted",
    "cmd.forget": "deletes your data (with `confirm` within 10 minutes); numbers and texts stay without your name",
    "arg.confirm": "confirm",
    # people who are no longer named
    "person.former": "former member",
    "person.anonymous": "name deleted",
    "participants.line_gone": "{position}. {name}",
    # !mydata
    "privacy.sent_dm": "I sent you a direct message with your data.",
    "privacy.sent_new_dm": "I sent you your data in a new direct chat (you get an invitation from me). I forgot our earlier direct chat with {forget}; you can leave it.",
    "privacy.summary.title": "🔒 **Your data at KIWI** – every detail is in the file {file} (JSON).",
    "privacy.summary.nothing": "I have no signups, sessions, feedback, wishes or settings of yours stored – only that this direct chat with you exists.",
    "privacy.summary.sessions": plural(
        "count",
        one="• Sessions you give or gave: {count} – it stays in the programme and archive; after {forget} it shows “former member”.",
        other="• Sessions you give or gave: {count} – they stay in the programme and archive; after {forget} they show “former member”.",
    ),
    "privacy.summary.signups": plural(
        "count",
        one="• Signups: {count} (on the waiting list: {waiting}) – your name is deleted {days} days after the session ended; the number of participants stays.",
        other="• Signups: {count} (on the waiting list: {waiting}) – your name is deleted {days} days after each session ended; the number of participants stays.",
    ),
    "privacy.summary.feedback": plural(
        "count",
        one="• Feedback: {count} – {days} days after the session ended your name is taken off it; rating and text stay without a name.",
        other="• Feedback: {count} – {days} days after each session ended your name is taken off it; ratings and texts stay without a name.",
    ),
    "privacy.summary.wishes": "• Topic wishes: {count}, materials shared: {materials} – they stay visible to everyone; after {forget} without your name (they then show “former member”).",
    "privacy.summary.interest": "• Interest (👍) in wishes: {interest} – deleted with {forget}.",
    "privacy.summary.settings": "• Settings: language {language}, reminders {reminders}; calendar links: {calendar}; direct chat with me: {direct} – kept until you change them or use {forget}.",
    "privacy.summary.next": "  ↳ The next time I delete your name this way is on {when}.",
    "privacy.summary.patron": "• Patron since {since} (added by an admin in the chat).",
    "privacy.summary.technical": plural(
        "count",
        one="• Technical: {count} command of yours (deleted after {days} days), {queued} messages to you waiting to be sent.",
        other="• Technical: {count} commands of yours (deleted after {days} days), {queued} messages to you waiting to be sent.",
    ),
    "privacy.summary.footer": "To have it all deleted: {forget}. Your messages in the rooms themselves are kept by the Matrix server, not by me.",
    "privacy.language.de": "German",
    "privacy.language.en": "English",
    "privacy.language.default": "as preset",
    "privacy.reminders.thread": "in the thread",
    "privacy.reminders.dm": "by direct message",
    "privacy.reminders.off": "off",
    "privacy.yes": "yes",
    "privacy.no": "no",
    # the JSON file of !meinedaten: explanations, and what each key and fixed value means
    "privacy.export.about": "Everything KIWI has stored about you (access under Art. 15 GDPR). The keys and fixed values are in English and always stay the same, so that programs can read the file; what they mean is listed at the end under “labels” and “value_labels”.",
    "privacy.export.null_means": "“deleted_after”: null means kept until you ask to be forgotten (!forget). Then your settings, interest in wishes, calendar links and the direct chat are deleted; sessions, wishes and materials stay, but without your name.",
    "privacy.export.times_are": "local time in {zone}, with its offset from UTC",
    "privacy.export.after_deletion": "the rating and comment stay, without your name",
    "privacy.export.key.format": "format of this file (version)",
    "privacy.export.key.language": "language of the explanations in this file",
    "privacy.export.key.about": "what this file is",
    "privacy.export.key.user_id": "your Matrix ID",
    "privacy.export.key.exported_at": "created at",
    "privacy.export.key.retention_days": "retention period in days: participants' names are kept this long after a session ended",
    "privacy.export.key.deleted_after_null_means": "what null in “deleted_after” means",
    "privacy.export.key.times_are": "which time the times are given in",
    "privacy.export.key.sessions_given": "sessions you give or gave",
    "privacy.export.key.sessions_cogiven": "sessions you co-give or co-gave",
    "privacy.export.key.signups": "your signups (seat or waiting list)",
    "privacy.export.key.feedback": "your feedback on sessions",
    "privacy.export.key.wishes": "your topic wishes",
    "privacy.export.key.wish_interest": "wishes you showed interest in (👍)",
    "privacy.export.key.materials": "materials (links) you shared",
    "privacy.export.key.preferences": "your settings",
    "privacy.export.key.calendar_links": "your personal calendar links (only whether they exist – never the secret link)",
    "privacy.export.key.direct_chat": "our direct chat",
    "privacy.export.key.patron": "patron (added by an admin)",
    "privacy.export.key.technical": "technical records",
    "privacy.export.key.labels": "what each key means",
    "privacy.export.key.value_labels": "what each fixed value means",
    "privacy.export.key.number": "session number",
    "privacy.export.key.title": "title",
    "privacy.export.key.starts_at": "start",
    "privacy.export.key.ends_at": "end",
    "privacy.export.key.status": "status",
    "privacy.export.key.role": "your role",
    "privacy.export.key.place": "your place",
    "privacy.export.key.signed_up_at": "signed up at",
    "privacy.export.key.via": "signed up by (👍 or command)",
    "privacy.export.key.rating": "your rating (1–5)",
    "privacy.export.key.comment": "your comment",
    "privacy.export.key.given_at": "given at",
    "privacy.export.key.after_deletion": "what stays after the deletion",
    "privacy.export.key.wish": "wish number",
    "privacy.export.key.topic": "topic",
    "privacy.export.key.description": "description",
    "privacy.export.key.created_at": "created at",
    "privacy.export.key.since": "since",
    "privacy.export.key.url": "link",
    "privacy.export.key.added_at": "added at",
    "privacy.export.key.reminders": "how reminders reach you",
    "privacy.export.key.exist": "exist",
    "privacy.export.key.exists": "exists",
    "privacy.export.key.commands": "your commands (only when)",
    "privacy.export.key.handled_at": "handled at",
    "privacy.export.key.queued_messages_to_you": "messages to you still waiting to be sent",
    "privacy.export.key.forget_request": "your request to be forgotten (awaiting confirmation)",
    "privacy.export.key.requested_at": "requested at",
    "privacy.export.key.expires_at": "can be confirmed until",
    "privacy.export.key.deleted_after": "deleted after (null: kept until you use !forget)",
    "privacy.export.value.open": "open (a session still to come; a wish nobody has taken up yet)",
    "privacy.export.value.running": "running now",
    "privacy.export.value.held": "held (it has taken place)",
    "privacy.export.value.cancelled": "cancelled",
    "privacy.export.value.fulfilled": "fulfilled (a session takes it up)",
    "privacy.export.value.closed": "closed",
    "privacy.export.value.giver": "session giver",
    "privacy.export.value.cogiver": "co-giver",
    "privacy.export.value.seat": "seat",
    "privacy.export.value.waiting_list": "waiting list",
    "privacy.export.value.reaction": "by 👍 on the announcement",
    "privacy.export.value.command": "by command",
    "privacy.export.value.thread": "in the session's thread",
    "privacy.export.value.dm": "by direct message",
    "privacy.export.value.off": "off",
    # !forget
    "forget.ask": (
        "⚠️ **Shall I forget you?** Then I sign you off every upcoming session and waiting list (whoever moves up is "
        "told) and delete your interest in wishes, your settings, calendar links and our direct-chat record. Past "
        "participation, feedback, wishes and materials stay as numbers and texts, but without your name; "
        "announcements then say “former member”. This cannot be undone.\nIf you are sure, write within {minutes} "
        "minutes: {confirm}"
    ),
    "forget.refused": "I can forget you only once nobody waits for you as a session giver or co-giver.\n{reasons}\nThen please try again.",
    "forget.still_giving": plural(
        "count",
        one=(
            "You still give this session:\n{sessions}\nName a co-giver ({handover}; they take the session over when I "
            "forget you) or cancel it ({cancel})."
        ),
        other=(
            "You still give these {count} sessions:\n{sessions}\nName a co-giver for each (e.g. {handover}; they take "
            "the session over when I forget you) or cancel it (e.g. {cancel})."
        ),
    ),
    "forget.still_cogiving": plural(
        "count",
        one=(
            "You are still a co-giver of this session:\n{sessions}\nTake yourself off it ({leave}); its giver then "
            "gives it without you."
        ),
        other=(
            "You are still a co-giver of these {count} sessions:\n{sessions}\nTake yourself off each by naming the "
            "co-givers without you (for the first: {leave}); their givers then give them without you."
        ),
    ),
    "forget.handed_over": "You now give session {number} “{title}”: its giver asked me to forget them. Everything else (editing, cancelling, participants) is up to you now.",
    "forget.session": "• No. {number} “{title}”",
    "forget.handover": "Co-giver: {who}",
    "forget.already_done": "That is already done: I have forgotten you. If you have stored something with me since (say, signed up again), write {ask} and I will delete that too.",
    "forget.nothing_to_confirm": "There is nothing to confirm: write {ask} first, and I will tell you what happens.",
    "forget.expired": "The confirmation came too late (more than {minutes} minutes after {ask}). Please write {ask} again.",
    "forget.bad_word": "I don't understand “{value}” here. {ask} explains what happens; nothing is deleted before {confirm}.",
    "forget.done": "Done: I have forgotten you.",
    "forget.done_signups": plural(
        "signups",
        one="I signed you off {signups} upcoming session; whoever was waiting has moved up.",
        other="I signed you off {signups} upcoming sessions; whoever was waiting has moved up.",
    ),
    "forget.done_handed": plural(
        "count",
        one="{count} session is now given by your co-giver, who has a message from me.",
        other="{count} sessions are now given by your co-givers, who have a message from me.",
    ),
    "forget.done_bye": "Take care!",
}
