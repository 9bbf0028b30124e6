"""English. Placeholders in {braces}, **bold**, `code`; messages with a number are `plural(...)` (one, other)."""

from kiwibot.i18n.plurals import Plural, plural

MESSAGES: dict[str, str | Plural] = {
    "format.datetime": "EEE, MMM d, y, h:mm a",
    "format.weekday_date": "EEEE, MMMM d, y",
    "format.date": "MMM d, y",
    "format.time": "h:mm a",
    "format.month": "MMMM y",
    "format.month_name": "LLLL",  # "February" in "February to May 2026"
    "help.header": "**KIWI – peer learning sessions.** Here is what I can do:",
    "help.line": "{usage} – {text}",
    "help.footer": "More about one command: {example}. Auf Deutsch antworten: {language}",
    "help.detail": "{usage}\n{text}",
    "help.aliases": "Also: {aliases}",
    "cmd.help": "shows this overview, or help on one command",
    "cmd.ping": "checks that I am here",
    "cmd.language": "sets the language I answer you in (de or en)",
    "arg.command": "command",
    "arg.language": "language",
    "ping.pong": "🏓 Pong! I am here.",
    "language.set": "All right: from now on I answer you in English.",
    "error.unknown_command": "I don't know the command {command}. Did you mean {suggestion}? All commands: {help}",
    "error.unknown_command_plain": "I don't know the command {command}. {help} lists all commands.",
    "direct.plain": "I answer commands such as {help} – it shows you everything I can do.",
    "error.usage": "This is how the command works: {usage}",
    "error.bad_number": "“{value}” is not a valid number. Expected a whole number, e.g. 7.",
    "error.one_number": "Only one session number, please: “{value}” would be a second one. Usage: {usage}{more}",
    "error.text_after_number": " – a reason or date after it starts with a word or a date.",
    "error.too_many_numbers": "At most {max} session numbers at once, please.",
    "error.bad_language": "I don't know the language “{value}”. Available: de (Deutsch), en (English).",
    "error.internal": (
        "Something went wrong on my side. Please try again later. "
        "If it happens again, give the admin team this reference: {ref}"
    ),
    "error.storage": "I can't save anything right now. Please try again in a few minutes.",
    "edited.done": (
        "I don't apply edited messages – the command was already carried out. "
        "If you want something different, please send the command again as a new message."
    ),
    "edited.session": (
        "I don't apply edited messages – session {number} stays as it is. "
        "To change it, send a new message with {usage} and below it what should change (e.g. when: …)."
    ),
    "date.unknown": (
        "I don't understand the date “{value}”. Try e.g. 2026-12-03 14:00, 03.12.2026 14:00, "
        "3.12. 2pm, 3 Dec 14:00, Thu 3.12. 2-3pm, tomorrow 14:00 or thursday 2pm."
    ),
    "date.nonexistent": ("The time in {value} does not exist on that day (clocks change). Please pick another time."),
    "date.no_time": "The date {value} has no time, e.g. {value} 14:00.",
    "date.no_date": "The time {value} has no date, e.g. 3.12. {value}.",
    "date.wrong_weekday": (
        "In {value} the weekday does not match the date: that date is {date}. Please check which day you mean."
    ),
    "date.range_order": "In {value} the end is not after the start. Please check the times.",
    "date.range_length": (
        "The time {value} lasts {minutes} minutes. A session lasts 30, 60 or 90 minutes, e.g. 2-3pm or 14:00-15:30."
    ),
    "cmd.offer": "offers a session (alone: shows a template to copy)",
    "cmd.join": "signs you up for a session (like 👍 on its announcement)",
    "cmd.leave": "signs you off a session",
    "cmd.programme": "shows the upcoming sessions",
    "cmd.mine": "shows the sessions you give and the ones you signed up for",
    "cmd.calendar": "sends you your calendar links by direct message (Outlook, Thunderbird, Google, iPhone) and the link to your programme page in the browser (sign up and off with a click); `new` revokes the old ones",
    "cmd.participants": "shows who is coming (for session givers, co-hosts, patrons, admins)",
    "cmd.edit": 'changes a session, e.g. with the line "link: https://…"',
    "cmd.cancel": "cancels a session; everyone signed up is told",
    "cmd.repeat": "offers a session again at a new time",
    "cmd.patron": "lists patrons; admins: `@name` adds, `remove @name` removes",
    "cmd.feedback": "gives feedback on a session you took part in (a rating 1–5 in front is optional); without text it shows session givers their feedback",
    "arg.number": "no.",
    "arg.offer": "details",
    "arg.page": "page",
    "arg.new": "new",
    "arg.changes": "changes",
    "arg.reason": "reason",
    "arg.when": "when",
    "arg.patron": "@name",
    "arg.feedback": "rating 1–5 and/or text",
    "offer.created": "Thank you! Your session has the number **{number}**. Here is its announcement: {post}",
    "offer.created_overlap": plural(
        "count",
        one="{created}\nNote: {overlaps} runs at the same time. That is allowed – but maybe another time suits better?",
        other="{created}\nNote: {overlaps} run at the same time. That is allowed – but maybe another time suits better?",
    ),
    "repeat.created": "Session {old} is repeated: the new session has the number **{number}**. Here is its announcement: {post}",
    "repeat.giver_told": '{actor} repeated your session {old} "{title}": new session **{number}** on {when}. The announcement will appear in the programme room.',
    "offer.overlap_item": 'no. {number} "{title}"',
    "offer.overlap_more": plural("more", one="{items} and {more} more", other="{items} and {more} more"),
    "offer.alike_wishes": (
        "Does your session fit a topic wish? Then write `!edit {number}` with the line `Wish: {wish}` (the number "
        "of the wish it fits) – everyone who wished for it then hears of your session:"
    ),
    "offer.alike_wish": '• **{wish}** "{topic}"',
    "edit.invalid": "The change is not quite right yet – please correct:",
    "edit.unchanged": "Session {number} is like that already – I changed nothing. {post}",
    "edit.ok": "Session {number} is changed; its announcement shows the new state.",
    "edit.what": " ({fields})",
    "edit.what.title": "title",
    "edit.what.starts_at": "date",
    "edit.what.duration": "duration",
    "edit.what.format": "format",
    "edit.what.link": "link",
    "edit.what.seats": "seats",
    "edit.what.description": "description",
    "edit.what.cogivers": "co-hosts",
    "edit.giver_told": '{actor} changed your session {number} "{title}"{what}. Its announcement shows the new state: {post}',
    "edit.ok_overlap": plural(
        "count",
        one="Session {number} is changed. Note: {overlaps} runs at the same time. That is allowed – but maybe another time suits better?",
        other="Session {number} is changed. Note: {overlaps} run at the same time. That is allowed – but maybe another time suits better?",
    ),
    "edit.notify": 'Session {number} "{title}" has changed. Now: {when}, {duration} minutes, link: {link}',
    "edit.cancelled": "Session {number} is cancelled and can no longer be changed.",
    "edit.over": "Session {number} is over and can no longer be changed.",
    "edit.nothing": "Write below the command what should change, e.g.:\n{usage}",
    "cancel.ok": plural(
        "count",
        one="Session {number} is cancelled. {count} person signed up will be told.",
        other="Session {number} is cancelled. {count} people signed up will be told.",
    ),
    "cancel.already": "Session {number} is already cancelled.",
    "cancel.notify": 'Sorry, session {number} "{title}" is cancelled. {reason}',
    "cancel.reason": "Reason: {reason}",
    "cancel.ok_nobody": "Session {number} is cancelled. Nobody had signed up.",
    "cancel.giver_told": '{actor} cancelled your session {number} "{title}". {reason}',
    "repeat.when_past": "The new date {value} is in the past. Please pick a date in the future.",
    "repeat.when_too_far": "The new date {value} is more than a year ahead. Please pick an earlier one.",
    "repeat.range_mismatch": (
        "The new time {value} lasts {minutes} minutes, but session {number} lasts {duration}. "
        "A repeat keeps the duration: give just the start, or change the duration afterwards with {edit}."
    ),
    "manage.forbidden": "Only the session giver, co-hosts, patrons and admins may change, cancel or repeat session {number}.",
    "session.unknown": "There is no session no. {number}. `!program` shows the upcoming sessions.",
    "session.already_offered": 'You have offered this session already: no. {number} "{title}". Change it with `!edit {number}`.',
    # co-givers
    "cogivers.unknown": plural(
        "count",
        one='Whom do you mean by "{names}"? Name co-hosts by their Matrix ID, e.g. `Co-host: @name:server`, or pick them from the suggestions while typing @.',
        other='Whom do you mean by "{names}"? Name co-hosts by their Matrix ID, e.g. `Co-host: @name:server`, or pick them from the suggestions while typing @.',
    ),
    "cogivers.no_account": plural(
        "count",
        one="The account {ids} does not exist – is the Matrix ID mistyped? Picking co-hosts from the suggestions while typing @ is the surest way.",
        other="The accounts {ids} do not exist – are the Matrix IDs mistyped? Picking co-hosts from the suggestions while typing @ is the surest way.",
    ),
    "cogivers.giver": "{user} gives the session already as its giver – co-hosts are further people.",
    "cogivers.not_member": plural(
        "count",
        one="{users} is not a member of our network and so cannot be a co-host.",
        other="{users} are not members of our network and so cannot be co-hosts.",
    ),
    "cogivers.too_many": "That is {count} co-hosts – at most {max} are possible.",
    "cogivers.named": (
        '{actor} named you co-host of session {number} "{title}" ({when}). You can now do everything its giver '
        "can: change the session (`!edit {number}`), cancel or repeat it, see the participants "
        "(`!participants {number}`) and read the feedback after it (`!feedback {number}`). You get the reminders "
        "as its giver does. {post}"
    ),
    "cogivers.seat_freed": "I removed your signup for it: as a co-host you need no seat.",
    "cogivers.removed": '{actor} removed you as co-host of session {number} "{title}".',
    "signup.ok": 'You are signed up for session {number} "{title}" ({when}). See you there!',
    "signup.waitlist": (
        'Session {number} "{title}" is full – you are number {position} on the waiting list. '
        "I will tell you as soon as a seat is free."
    ),
    "signup.already": 'You are already signed up for session {number} "{title}".',
    "signup.already_waiting": 'You are already on the waiting list for session {number} "{title}", at number {position}. I will tell you as soon as a seat is free.',
    "signup.cancelled": 'Session {number} "{title}" is cancelled – signing up is no longer possible.',
    "signup.past": 'Session {number} "{title}" has started or is over – signing up is no longer possible.',
    "signup.own": "You give session {number} yourself – you are there anyway.",
    "signup.reaction_refused": "Your sign-up did not work. {reason}",
    "signoff.ok": 'You are signed off from session {number} "{title}".',
    "signoff.begun": 'Session {number} "{title}" has already begun or is over – signing off is no longer possible.',
    "signoff.own": 'Session {number} "{title}" is your own. If it cannot take place, cancel it with `!cancel {number}`.',
    "signoff.ok_reaction": (
        'You are signed off from session {number} "{title}". Your 👍 on the announcement no longer counts – '
        "you may remove it."
    ),
    "signoff.ok_waiting": 'You are no longer on the waiting list for session {number} "{title}".',
    "signoff.ok_waiting_reaction": (
        'You are no longer on the waiting list for session {number} "{title}". Your 👍 on the announcement no '
        "longer counts – you may remove it."
    ),
    "signoff.by_reaction": (
        'You removed your 👍 – so you are signed off session {number} "{title}", including your sign-up by '
        "command. If you want to come after all, react with 👍 again."
    ),
    "signoff.not": 'You were not signed up for session {number} "{title}".',
    "notice.to": "{users}: {text}",
    "waitlist.promoted": 'A seat came free in session {number} "{title}" – you are now signed up!',
    "waitlist.demoted": plural(
        "seats",
        one=(
            'Session {number} "{title}" now has only {seats} seat, so you are number {position} on the waiting list. '
            "I will tell you as soon as a seat is free."
        ),
        other=(
            'Session {number} "{title}" now has only {seats} seats, so you are number {position} on the waiting list. '
            "I will tell you as soon as a seat is free."
        ),
    ),
    "participants.header": '**Participants of session {number} "{title}"** ({count})',
    "message.more": "… and {count} more",
    "participants.none": "Nobody has signed up yet.",
    "participants.line": "{position}. {name} ({user_id})",
    "participants.waiting": "**Waiting list** ({count})",
    "participants.forbidden": "Only the session giver, co-hosts, patrons and admins see who comes to session {number}.",
    "participants.sent_dm": 'I have sent you the participants of session {number} "{title}" by direct message.',
    "count.participants": plural("count", one="{count} participant", other="{count} participants"),
    "count.with_waitlist": "{count} · {waiting} on the waiting list",
    "programme.header": "**KIWI programme** (page {page} of {pages})",
    "programme.line": "**{number}** · {when} · {title} ({format}) · {giver} · {count} · {post}",
    "programme.givers": "{giver} with {cogivers}",
    "people.and": "{first} and {last}",
    "programme.more": "More sessions: {next}",
    "programme.empty": "No sessions are planned right now. Why not offer one yourself: {offer}",
    "programme.no_page": plural(
        "pages",
        one="There is no page {page} – the programme has only {pages} page.",
        other="There is no page {page} – the programme has {pages} pages.",
    ),
    # the programme page (web): …/p/<secret>
    "web.title": "KIWI programme",
    "web.skip": "Skip to content",
    "web.for_person": "Your personal programme page, {name}. Please do not pass its link on.",
    "web.nav": "On this page",
    "web.mine_given": "My sessions",
    "web.mine_joined": "My signups",
    "web.none_given": "You are not giving any session at the moment.",
    "web.none_joined": "You have not signed up for any session at the moment.",
    "web.upcoming": "Upcoming sessions",
    "web.empty": "There are no sessions in the programme at the moment.",
    "web.number": "No. {number}",
    "web.when": "When",
    "web.minutes": plural("minutes", one="{minutes} minute", other="{minutes} minutes"),
    "web.format": "Format",
    "web.giver": "Given by",
    "web.seats": "Seats",
    "web.seats_taken": plural("seats", one="{taken} of {seats} seat taken", other="{taken} of {seats} seats taken"),
    "web.seats_free": "no limit",
    "web.participants": "Participants",
    "web.link": "Video link",
    "web.calendar": "Calendar",
    "web.calendar_file": "Calendar file (.ics)",
    "web.full": "Full",
    "web.full_hint": "All seats are taken – whoever signs up now goes on the waiting list.",
    "web.cancelled": "Cancelled",
    "web.begun": "Has already begun – signing up or off is no longer possible.",
    "web.yours": "This is your session.",
    "web.signed_up": "You are signed up.",
    "web.waiting_place": "You are number {position} on the waiting list.",
    "web.sign_up": "Sign up",
    "web.sign_up_waiting": "Join the waiting list",
    "web.sign_off": "Sign off",
    "web.sign_off_waiting": "Leave the waiting list",
    "web.pages": "Pages",
    "web.page_of": "Page {page} of {pages}",
    "web.previous": "Previous page",
    "web.next": "Next page",
    "web.forged": (
        "That did not work: the form was out of date or incomplete, so nothing was changed. Please try again here."
    ),
    "web.slow_down": "That was a lot of clicks at once – I did not carry out this one. Please try again from {time}.",
    "web.not_found_title": "This link leads nowhere",
    "web.not_found_text": "Did you get it from a message of the KIWI bot? Send !calendar to the bot in the chat to get new links to your calendars and your programme page.",
    "web.too_many_title": "Too many requests right now",
    "web.too_many_text": "Very many requests with invalid links came from here just now. Please try again in a few minutes. To get new links, send !calendar to the KIWI bot in the chat.",
    "post.link_text": "announcement",
    "post.link_pending": "(being posted, the link follows)",
    "mine.given": "**Sessions you give**",
    "mine.joined": "**Sessions you signed up for**",
    "mine.line": "**{number}** · {when} · {title} · {post}",
    "mine.line_state": "**{number}** · {when} · {title} {state} · {post}",
    "mine.waiting": "(waiting list, number {position})",
    "mine.cancelled": "(cancelled)",
    "mine.cohost": "(as co-host)",
    "mine.none": "You give no session and are signed up for none. {programme} shows what is coming.",
    "calendar.sent_dm": "I sent you a direct message.",
    "calendar.off": "There are no calendar links here: the bot's web side is switched off (`web.enabled`). The admin team can switch it on.",
    "calendar.too_many": "You already have {max} valid calendar links. {renew} revokes them all and gives you a new one.",
    "calendar.bad_word": "I don't understand “{value}” here. {usage} sends you your calendar links, with `new` brand-new ones (the old ones then stop working).",
    "calendar.intro": "📅 **Your KIWI calendars** – personal links, please don't pass them on.",
    "calendar.renewed": "📅 **Your new KIWI calendar links.** The old ones stop working right now – please put the new ones into your calendars.",
    "calendar.links": (
        "{intro}\n"
        "**My sessions** (those you give and those you signed up for, waiting-list places marked):\n{mine}\n"
        "The same for subscribing directly (phone, Outlook): {mine_webcal}\n"
        "**Whole programme** (every upcoming session):\n{programme}\n"
        "The same for subscribing directly: {programme_webcal}\n"
        "**Programme page** in the browser (sign up and off with a click):\n{page}\n"
        "\n**How to subscribe** – copy the link, then:\n"
        "• Outlook: Add calendar → Subscribe from web → paste the link\n"
        "• Thunderbird: New Calendar → On the Network → paste the link\n"
        "• Google Calendar: Other calendars (+) → From URL → paste the link\n"
        "• iPhone: Settings → Calendar → Accounts → Add Account → Other → Add Subscribed Calendar → paste the link\n"
        "Your calendar then fetches changes by itself (mostly hourly; Google takes longer).\n"
        "\n{outro}"
    ),
    "calendar.outro": "Links you got earlier keep working. {renew} revokes all old ones – for instance if someone else has seen them.",
    "calendar.outro_renewed": "{renew} makes new links again whenever you need them.",
    "calendar.outro_first": "{renew} revokes your links and gives you new ones – for instance if someone else has seen them.",
    "ical.calname_mine": "KIWI – my sessions",
    "ical.calname_programme": "KIWI programme",
    "ical.file_mine": "kiwi-my-sessions.ics",
    "ical.file_programme": "kiwi-programme.ics",
    "ical.summary_cancelled": "Cancelled: {title}",
    "ical.summary_waiting": "{title} (waiting list)",
    "ical.cancelled": "This session is cancelled.",
    "ical.reason": "Reason: {reason}",
    "ical.waiting": "You are on the waiting list – I will tell you in the chat as soon as a seat is free.",
    "ical.number": "KIWI session {number}",
    "ical.format": "Format: {format} – {about}",
    "ical.giver": "Session giver: {giver}",
    "ical.link": "Link: {link}",
    "ical.post": "Announcement: {post}",
    "overview.title": "📌 **KIWI programme – the next sessions**",
    "overview.empty": "Nothing is planned right now.",
    "overview.more": "… and {count} more (`!program 2`).",
    "overview.footer": "Sign up: 👍 on the announcement. Offer a session yourself: {offer}",
    "overview.calendar": "📅 All your sessions in your own calendar (Outlook, phone): {calendar}",
    "news.title": "📣 **KIWI session {number}: {title}**",
    "news.cancelled_title": "❌ **CANCELLED – KIWI session {number}: {title}**",
    "news.format": "**Format:** {format} – {about}",
    "news.when": "**When:** {when}, {time} ({duration} minutes)",
    "news.giver": "**Session giver:** {giver}",
    "news.cogivers": plural("count", one="**Co-host:** {cogivers}", other="**Co-hosts:** {cogivers}"),
    "news.seats": "**Seats:** {seats}",
    "news.link": "**Link:** {link}",
    "news.wish": "**Topic wish:** {wish} “{topic}”",
    "news.no_link": "to follow",
    "news.signup": "React with {reaction} to this message to sign up – or write {join}.",
    "news.started": "🔒 The session has started – signing up is closed.",
    "news.calendar": "📅 {file} – all your sessions in your own calendar: {calendar}",
    "news.calendar_file": "Add to calendar",
    "patron.list": "**Patrons** who support session givers:",
    "patron.none": "No patrons yet.",
    "patron.added": "{user} is now a patron and will hear about new sessions.",
    "patron.already": "{user} is already a patron.",
    "patron.removed": "{user} is no longer a patron.",
    "patron.not": "{user} is not a patron.",
    "patron.in_config": "{user} is a patron in the configuration file; only that file can change it.",
    "patron.forbidden": "Only admins may add or remove patrons.",
    "patron.which": "Whom do you mean? Name the person by their Matrix id, e.g.:\n{usage}",
    "patron.new_session": plural(
        "count",
        one='{patrons}: new session {number} "{title}" by {giver}. Would you like to help prepare it?',
        other='{patrons}: new session {number} "{title}" by {giver}. Would you like to help prepare it?',
    ),
    "cmd.reminders": "how I remind you: `thread` (in the announcement's thread), `dm` (direct message) or `off`; `on` brings back the thread",
    "cmd.digest": "shows the daily programme here",
    "arg.choice": "thread|dm|off|on",
    "reminders.set_thread": "All right: I will remind you in the announcement's thread.",
    "reminders.set_dm": "All right: I will remind you by direct message.",
    "reminders.set_off": "All right: I will not send you reminders any more.",
    "reminders.bad_choice": "I don't know “{value}”. Choose: thread, dm (direct message) or off – and on to be reminded in the thread again as usual.",
    "reminder.late": "(late) ",
    "reminder.thread": '⏰ {late}{users}: reminder for session {number} "{title}" – starts {when}, {duration} minutes. Link: {link}',
    "reminder.still_waiting": plural(
        "count",
        one="{users}: you are still on the waiting list – I will tell you when a seat is free.",
        other="{users}: you are all still on the waiting list – I will tell you when a seat is free.",
    ),
    "reminder.direct": '⏰ {late}Reminder for session {number} "{title}" – starts {when}, {duration} minutes. Link: {link} ({post})',
    "reminder.direct_waiting": '⏰ {late}Session {number} "{title}" starts {when}. You are still on the waiting list – I will tell you when a seat is free. ({post})',
    # feedback after a session
    "feedback.ask_thread": (
        '💬 {users}: Session {number} "{title}" is over – how was it for you? Your feedback helps {givers}. '
        "Best send it to me as a direct message (you can start a direct chat with me any time): "
        "`!feedback {number} What helped, what could be better?` – with a rating from 1 (poor) to 5 (very good) "
        "in front if you like, e.g. `!feedback {number} 5 Very practical!` {anonymity} Possible until {until}."
    ),
    "feedback.ask_direct": (
        '💬 Session {number} "{title}" is over – how was it for you? Your feedback helps {givers}. '
        "Answer me here: `!feedback {number} What helped, what could be better?` – with a rating from 1 (poor) "
        "to 5 (very good) in front if you like, e.g. `!feedback {number} 5 Very practical!` You can also just "
        "write to me here without a command – I take that as your feedback. {anonymity} "
        "Possible until {until}. ({post})"
    ),
    "feedback.anonymity": (
        "The session givers see feedback without names, and only once at least {shown_from} answers are in. "
        "In a small group that is still not fully anonymous: whoever knows who took part can sometimes guess "
        "who wrote what."
    ),
    "feedback.thanks": (
        'Thank you for your feedback on session {number} "{title}"! {rating}{comment}The session givers see it '
        "without your name once at least {shown_from} answers are in. Until {until} you can replace it: just send `!feedback {number} …` again."
    ),
    "feedback.replaced": (
        'Your feedback on session {number} "{title}" is updated. It now reads: {rating}{comment}'
        "The session givers see it without your name once at least {shown_from} answers are in. "
        "You can replace it until {until}."
    ),
    "feedback.your_rating": "Your rating: {rating} of 5. ",
    "feedback.rating_kept": (
        "{rating}(That is your earlier rating: your new answer holds none. A new rating goes first, "
        "e.g. `!feedback {number} 3 …`) "
    ),
    "feedback.your_comment": 'Your text: "{comment}". ',
    "feedback.taken_plain": (
        'I took your message as your feedback on session {number} "{title}" – I had asked you for it. '
        "You can change it with `!feedback {number} …`."
    ),
    "feedback.which": (
        "Is this feedback? I asked you about several sessions – please say which one it is about:\n"
        "{choices}\n{help} lists all commands."
    ),
    "feedback.which_one": '`!feedback {number} …` for session {number} "{title}"',
    "feedback.thanks_room": (
        "Thank you! Your feedback is saved – I am sending you the confirmation by direct message. "
        "Feedback is best written in your direct chat with me."
    ),
    "feedback.cancelled": 'Session {number} "{title}" was cancelled – there is no feedback on it.',
    "feedback.own": (
        'You give session {number} "{title}" yourself – feedback comes from the participants. '
        "`!feedback {number}` shows you what they wrote."
    ),
    "feedback.waiting": 'You were on the waiting list of session {number} "{title}" – only those who had a seat give feedback.',
    "feedback.not_participant": 'You were not signed up for session {number} "{title}" – only participants give feedback.',
    "feedback.not_ended": 'Session {number} "{title}" is not over yet (it ends {end}). You can give feedback after that.',
    "feedback.too_late": plural(
        "days",
        one='It is too late for feedback on session {number} "{title}": I take it until {days} day after the end, here until {until}.',
        other='It is too late for feedback on session {number} "{title}": I take it until {days} days after the end, here until {until}.',
    ),
    "feedback.bad_rating": (
        'I don\'t understand "{value}" as a rating. A rating is a whole number from 1 (poor) to 5 (very good) '
        "before the text, e.g. `!feedback 7 4 Well explained`. Without a rating, just write the text."
    ),
    "feedback.too_long": "Your feedback is {length} characters long; at most {max} are possible. Please shorten it a little.",
    "feedback.empty": (
        "Your feedback is missing: after the number write a text, a rating from 1 to 5, or both, "
        "e.g. `!feedback 7 4 Well explained`."
    ),
    "feedback.how": (
        'To give feedback on session {number} "{title}": `!feedback {number} What helped, what could be better?` '
        "– with a rating from 1 (poor) to 5 (very good) in front if you like. Possible until {until}.{given}"
    ),
    "feedback.how_given": " You gave feedback already; a new one replaces it.",
    "feedback.forbidden": (
        'Only the session givers see the feedback on session {number} "{title}" '
        "(patrons and admins only the count and the average rating)."
    ),
    "feedback.summary_not_ended": (
        'Session {number} "{title}" is not over yet (it ends {end}). After that I will ask the participants for '
        "their feedback."
    ),
    "feedback.summary_sent": 'I sent you the feedback on session {number} "{title}" by direct message.',
    "feedback.summary.title": '📊 **Feedback on session {number} "{title}"** ({when})',
    "feedback.summary.counts": "{answers} {of}",
    "feedback.summary.answers": plural("count", one="{count} answer", other="{count} answers"),
    "feedback.summary.of": plural(
        "participants", one="from {participants} participant", other="from {participants} participants"
    ),
    "feedback.summary.average": plural(
        "rated",
        one="Average rating: **{average}** of 5 ({rated} rating)",
        other="Average rating: **{average}** of 5 ({rated} ratings)",
    ),
    "feedback.summary.no_rating": "No rating given yet.",
    "feedback.summary.too_few": (
        "I show ratings and comments only from {shown_from} answers on – with fewer it would be easy to guess "
        "who wrote them."
    ),
    "feedback.summary.counts_only": "Only the session givers see the comments.",
    "feedback.summary.comments": plural(
        "count", one="**Comment** (without names):", other="**Comments** (without names, alphabetical):"
    ),
    "feedback.summary.comment": "– {comment}",
    "feedback.summary.comment_rated": "– {comment} (rating {rating})",
    "feedback.summary.no_comments": "No comments yet.",
    "feedback.summary.footer": (
        "If more feedback comes in, I send you a new summary at most once a day. "
        "`!feedback {number}` shows the current state."
    ),
    "digest.title": "☀️ **KIWI daily programme for {date}**",
    "digest.today": "**Today**",
    "digest.none_today": "No sessions today.",
    "digest.soon": plural("days", one="**Coming up** (tomorrow)", other="**Coming up** (next {days} days)"),
    "digest.line": "{when} · {title} ({format}) · {giver} · {count} · {post}",
    "digest.free": plural("free", one="{free} seat free", other="{free} seats free"),
    "digest.full": "fully booked",
    "digest.full_waiting": "fully booked, {waiting} on the waiting list",
    "digest.empty": "☀️ KIWI daily programme for {date}: no sessions today.",
    # statistics (admins and patrons; the monthly report)
    "cmd.statistics": "shows the programme's figures per month as text, a chart (PNG) and a table (CSV) – admins and patrons only; without a period the last 12 full months, else e.g. `2026`, `2026-01 2026-06`, `since March 2026` or `until today`",
    "arg.period": "period",
    "stats.forbidden": "Only admins and patrons can see the statistics. If you need figures, please ask the admin team.",
    "stats.bad_period": "I don't understand the period “{value}”. You can write e.g. {examples}, “March 2026”, “January to June 2026”, “November”, “Q4 2026”, “this month”, “last month”, “last 3 months”, “last year”, “since March 2026”, “since 1.11.26” or “until today” (everything since the first recorded month). Without a period I show the last 12 full months.",
    "stats.future": "The period “{value}” has not begun yet. Give a past period, e.g. {examples}; without a period I show the last 12 full months.",
    "stats.too_long": "That is more than {max} months – too many to read in one chart. Please choose a shorter period, e.g. {examples}.",
    "stats.period": "{first} – {last}",
    "stats.title": "📊 **KIWI statistics {period}**",
    "stats.total": "**Whole period:** {figures}",
    "stats.total_month": "**In the month:** {figures}",
    "stats.months_header": "**Per month:**",
    "stats.month_line": "{month}: {figures}",
    "stats.empty_months": "{first} to {last}: no sessions",
    "stats.figures": "{sessions} ({formats}) · {people} · {fill} · {givers} · {cancelled} · {rating}",
    "stats.figures_none": "{sessions} · {cancelled}",
    "stats.sessions": plural("count", one="{count} session held", other="{count} sessions held"),
    "stats.format_count": "{format} {count}",
    "stats.people": "{participations} {distinct}",
    "stats.participations": plural("count", one="{count} participation", other="{count} participations"),
    "stats.distinct": plural("count", one="by {count} person", other="by {count} different people"),
    "stats.fill": "{rate} % of the limited seats taken",
    "stats.fill_none": "no session with limited seats",
    "stats.givers": "{givers}, {first}",
    "stats.giver_count": plural("count", one="{count} session giver", other="{count} session givers"),
    "stats.first_time": "{count} of them for the first time",
    "stats.cancelled": "{count} cancelled",
    "stats.rating": plural(
        "count",
        one="average rating {average} of 5 ({count} rating)",
        other="average rating {average} of 5 ({count} ratings)",
    ),
    "stats.rating_none": "no ratings yet",
    "stats.files": "The same figures follow as files: a chart (PNG) and a table (CSV, for Excel).",
    "stats.file_name": "kiwi-statistics",
    "stats.chart.title": "KIWI statistics {period}",
    "stats.chart.sessions": "Sessions held by format",
    "stats.chart.people": "Participations and different participants",
    "stats.chart.givers": "Session givers and cancellations",
    "stats.chart.quality": "Seats taken and feedback",
    "stats.chart.count": "Number",
    "stats.chart.fill_axis": "Seats taken in %",
    "stats.chart.rating_axis": "Average rating (1–5)",
    "stats.csv.year": "Year",
    "stats.csv.month": "Month",
    "stats.csv.sessions": "Sessions held",
    "stats.csv.participations": "Participations",
    "stats.csv.distinct": "Different participants",
    "stats.csv.seats": "Limited seats",
    "stats.csv.seated": "Of them taken",
    "stats.csv.fill": "Seats taken (%)",
    "stats.csv.givers": "Session givers",
    "stats.csv.first_time": "Of them for the first time",
    "stats.csv.cancelled": "Cancelled",
    "stats.csv.rating": "Feedback average (1–5)",
    "stats.csv.ratings": "Number of ratings",
    "access.not_member": "Sorry – KIWI is only for members of our network. If you should belong to it, please contact the admin team.",
    "limits.slow_down": "That is a lot of commands at once (more than {limit} a minute). I am not carrying out this one or any further ones for now – please send them again from {time}.",
    "limits.still_held": "I am not carrying out this command either yet. Please send it again from {time}.",
    "limits.too_many_offers": plural(
        "max",
        one="You already offer {max} upcoming session – that is the most at one time. Once it is over, you can offer the next.",
        other="You already offer {max} upcoming sessions – that is the most at one time. Once one is over, you can offer the next.",
    ),
}
