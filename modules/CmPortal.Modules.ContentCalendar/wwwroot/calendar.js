// The content calendar page (FullCalendar): month, week and list views fed by /calendar/events, drag and drop to move
// a post (POST /calendar/move, refused moves snap back with the reason), a click on an empty slot to write a post
// there, and the 80/20 gauge of the visible period. The Content-Security-Policy allows no inline script: it lives here.
//
// Time zone: the server sends each post at the workspace's wall-clock time WITHOUT offset and the calendar runs in
// "UTC", so 09:30 in Paris shows as 09:30 whatever the browser's zone; the Date objects' UTC fields are that wall clock.
(() => {
    "use strict";
    const element = document.getElementById("calendar");
    if (!element || !window.FullCalendar) return;
    const data = element.dataset;
    const alertBox = document.getElementById("calendar-alert");
    const status = document.getElementById("calendar-status");
    const gauge = document.getElementById("calendar-gauge");
    const dateField = document.querySelector("[data-calendar-date]");
    const viewField = document.querySelector("[data-calendar-view]");

    const pad = n => String(n).padStart(2, "0");
    const day = d => `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
    const wallClock = d => `${day(d)}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
    const withQuery = (url, params) => url + (url.includes("?") ? "&" : "?") + new URLSearchParams(params);

    function showError(message) {
        alertBox.textContent = message;
        alertBox.classList.remove("d-none");
    }

    function clearError() {
        alertBox.textContent = "";
        alertBox.classList.add("d-none");
    }

    async function getJson(url) {
        const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
    }

    // The gauge is rendered by the server (translated, same rules as the page's first view); only the latest answer is kept.
    let gaugeTicket = 0;
    async function loadGauge(view) {
        const ticket = ++gaugeTicket;
        try {
            const response = await fetch(withQuery(data.gauge, { start: day(view.currentStart), end: day(view.currentEnd) }), { credentials: "same-origin" });
            if (!response.ok) throw new Error(String(response.status));
            const html = await response.text();
            if (ticket === gaugeTicket) gauge.innerHTML = html;
        } catch {
            showError(data.labelError);
        }
    }

    function icon(classes, label) {
        const span = document.createElement("span");
        span.className = `bi ${classes}`;
        if (label) { span.setAttribute("role", "img"); span.setAttribute("aria-label", label); }
        else span.setAttribute("aria-hidden", "true");
        return span;
    }

    // One post: its time (not in the list view, which has a time column), failed mark, networks, text and state.
    function renderPost(arg) {
        const props = arg.event.extendedProps;
        const box = document.createElement("div");
        box.className = "cc-event";
        if (props.state === "Failed") box.append(icon("bi-exclamation-octagon-fill cc-failed-icon", data.labelFailed));
        if (arg.timeText && !arg.view.type.startsWith("list")) {
            const time = document.createElement("span");
            time.className = "cc-time";
            time.textContent = arg.timeText;
            box.append(time);
        }
        for (const network of props.networks) {
            const img = document.createElement("img");
            img.src = network.icon;
            img.alt = network.name;
            img.width = 14;
            img.height = 14;
            img.className = "cc-network";
            box.append(img);
        }
        if (props.recurring) box.append(icon("bi-arrow-repeat", data.labelRecurring));
        const title = document.createElement("span");
        title.className = "cc-title";
        title.textContent = arg.event.title;
        box.append(title);
        const state = document.createElement("span");
        state.className = "cc-state";
        state.textContent = props.stateLabel;
        box.append(state);
        return { domNodes: [box] };
    }

    async function move(info) {
        clearError();
        const props = info.event.extendedProps;
        try {
            const response = await fetch(data.move, {
                method: "POST",
                credentials: "same-origin",
                headers: { "Content-Type": "application/json", Accept: "application/json", RequestVerificationToken: data.token },
                body: JSON.stringify({ postId: props.postId, version: props.version, occurrenceDate: props.occurrenceDate, start: wallClock(info.event.start) }),
            });
            const body = await response.json().catch(() => ({}));
            if (!response.ok) {
                info.revert();
                showError(body.message || data.labelError);
                if (response.status === 409) calendar.refetchEvents();
                return;
            }
            status.textContent = body.message;
            calendar.refetchEvents(); // the new version, and the post's place among the filters
            loadGauge(calendar.view);
        } catch {
            info.revert();
            showError(data.labelError);
        }
    }

    const narrow = window.matchMedia("(max-width: 575.98px)").matches;
    const views = "dayGridMonth,timeGridWeek,listWeek";
    const calendar = new FullCalendar.Calendar(element, {
        timeZone: "UTC",
        locale: data.locale,
        now: data.now ? `${data.now}:00` : undefined, // "today" is the workspace's today
        initialView: data.view || (narrow ? "listWeek" : "dayGridMonth"),
        initialDate: data.date || undefined,
        headerToolbar: narrow ? { left: "prev,next", center: "title", right: "today" } : { left: "prev,next today", center: "title", right: views },
        footerToolbar: narrow ? { center: views } : false,
        // FullCalendar's arrows come from a font embedded as data:, which the Content-Security-Policy (font-src 'self')
        // blocks: the buttons say "previous" and "next" in words instead.
        buttonIcons: false,
        // The portal's own words: FullCalendar's French says « Aujourd'hui » (straight apostrophe) and « évènement ».
        buttonText: data.labelToday ? { today: data.labelToday } : undefined,
        noEventsText: data.labelEmpty || undefined,
        // A phone's week has seven columns of ~45 px: the day's initial and number (« M 2 »), not « mer. 02/12 »; the
        // all-day row is named by an icon that reads « Toute la journée », rather than those words over three lines.
        views: narrow ? {
            timeGridWeek: {
                dayHeaderFormat: { weekday: "narrow", day: "numeric" },
                allDayContent: arg => ({ domNodes: [icon("bi-sun", arg.text)] }),
            },
        } : undefined,
        height: "auto",
        nowIndicator: true,
        eventDisplay: "block",
        eventDurationEditable: false,
        dayMaxEvents: 4,
        eventTimeFormat: { hour: "2-digit", minute: "2-digit", hour12: false },
        eventContent: arg => arg.event.display === "background" ? true : renderPost(arg),
        events: (info, success, failure) => {
            getJson(withQuery(data.events, { start: day(info.start), end: day(info.end) }))
                .then(success)
                .catch(error => { showError(data.labelError); failure(error); });
        },
        datesSet: info => {
            if (dateField) dateField.value = day(info.view.currentStart);
            if (viewField) viewField.value = info.view.type;
            loadGauge(info.view);
        },
        // FullCalendar names each day cell by its date link; a cell with posts then shows more than its name says
        // (axe: label-content-name-mismatch). The cell reads its own content instead; the date link keeps its name.
        dayCellDidMount: info => info.el.removeAttribute("aria-labelledby"),
        eventDrop: move,
        dateClick: info => {
            if (!data.newPost) return;
            // A day of the month view has no time: the post starts at 09:00, changed in the editor if need be.
            const start = info.allDay ? `${day(info.date)}T09:00` : wallClock(info.date);
            window.location.href = withQuery(data.newPost, { start });
        },
    });
    calendar.render();
})();
