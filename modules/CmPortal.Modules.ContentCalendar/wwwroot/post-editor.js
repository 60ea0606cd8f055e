// The post editor: variants that follow the main text until they diverge, threads (parts added, moved, removed, each
// counted and checked, previewed as replies), a preview per network, live draft checks
// (debounced, JSON), images from the media library (upload included), and recurrence controls that write the RRULE
// with its summary and next dates computed by the server. No inline script or handler (the portal's CSP forbids them).
(() => {
    "use strict";
    const form = document.getElementById("post-form");
    if (!form) return;
    const main = document.getElementById("Text");
    const token = () => form.elements.namedItem("__RequestVerificationToken")?.value ?? "";
    const base = form.dataset.base; // /admin/{ws}/posts
    const segmenter = "Segmenter" in Intl ? new Intl.Segmenter(undefined, { granularity: "grapheme" }) : null;
    const numbers = new Intl.NumberFormat(document.documentElement.lang || undefined);
    const cards = () => [...form.querySelectorAll(".variant-card")];
    const chosen = () => cards().filter(c => !c.closest("[data-variant-col]").hidden);
    const areaOf = card => card.querySelector("textarea.variant-text");

    // ---- Counting, as close to the server's NetworkTextLength as a quick estimate needs; the check's answer replaces it ----
    const UrlPattern = /https?:\/\/[^\s<>"«»]+/giu;
    // ---- An article and its teasers: with the blog chosen, the other variants' {article} is the article's address ----
    const articleHint = document.getElementById("article-hint");
    const blogChosen = () => form.querySelector("input[name=Networks][value=blog]")?.checked === true;
    function articleAddress() {
        // As ArticleLink.Estimate: the site's blog and the slug of the article's first line (accents folded).
        const blogArea = form.querySelector('.variant-card[data-variant="blog"] textarea.variant-text');
        const first = (blogArea?.value ?? main.value).trim().split("\n")[0].trim().replace(/^#+/, "").trim();
        let slug = first.normalize("NFD").replace(/\p{M}/gu, "").replace(/[œŒ]/g, "oe").replace(/[æÆ]/g, "ae").toLowerCase()
            .replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
        if (slug.length > 76) slug = slug.slice(0, 76).replace(/-[^-]*$/, "");
        return `${articleHint?.dataset.siteBase ?? ""}/blog/${slug || "article"}`;
    }
    const withArticle = (text, card) => articleHint && card.dataset.variant !== "blog" && blogChosen()
        ? text.split(articleHint.dataset.placeholder).join(articleAddress()) : text;
    function estimate(text, card) {
        let value = withArticle(text, card);
        const urlLength = card.dataset.urlLength ? Number(card.dataset.urlLength) : null;
        let links = 0;
        if (urlLength !== null) value = value.replace(UrlPattern, () => { links++; return ""; });
        const graphemes = segmenter ? [...segmenter.segment(value)].map(s => s.segment) : [...value];
        const weighted = card.dataset.counting === "WeightedX";
        // X: Latin and common punctuation weigh one, other scripts and emoji two.
        const weight = g => !weighted ? 1 : /^[\u0000-\u10FF\u2000-\u200D\u2010-\u201F\u2032-\u2037]$/u.test(g) ? 1 : 2;
        return graphemes.reduce((n, g) => n + weight(g), 0) + links * (urlLength ?? 0);
    }
    function showCount(card, length) {
        const out = card.querySelector(".variant-length");
        if (!out) return;
        out.textContent = numbers.format(length);
        const max = card.dataset.maxLength ? Number(card.dataset.maxLength) : null;
        card.querySelector(".variant-counter")?.classList.toggle("text-danger", max !== null && length > max);
        card.querySelector(".variant-counter")?.classList.toggle("fw-bold", max !== null && length > max);
    }

    // ---- Preview: the text with links, hashtags and mentions highlighted (built with text nodes: never HTML) ----
    const Highlight = /(https?:\/\/[^\s<>"«»]+)|(#[\p{L}\p{N}_]+)|(@[A-Za-z0-9_.]+)/gu;
    function renderPreview(card) {
        const target = card.querySelector(".preview-text");
        if (!target) return;
        highlightInto(target, areaOf(card).value);
        renderThreadPreview(card);
    }
    function highlightInto(target, text) {
        target.replaceChildren();
        let index = 0;
        for (const m of text.matchAll(Highlight)) {
            target.append(text.slice(index, m.index));
            const span = document.createElement("span");
            span.className = m[1] ? "preview-link" : m[2] ? "preview-hashtag" : "preview-mention";
            span.textContent = m[0];
            target.append(span);
            index = m.index + m[0].length;
        }
        target.append(text.slice(index));
    }
    function renderImages() {
        const mainPicks = [...form.querySelectorAll("input[name=Media]:checked")];
        for (const card of cards()) {
            const box = card.querySelector(".preview-media");
            if (!box) continue;
            // A variant with its own images previews those; otherwise the main text's.
            const own = card.querySelector("input.variant-own-media")?.checked === true;
            const picked = own ? [...card.querySelectorAll(".variant-media-choices input:checked")] : mainPicks;
            card.querySelector(".variant-media-choices")?.toggleAttribute("hidden", !own);
            for (const input of card.querySelectorAll(".variant-media-choices input"))
                input.closest(".variant-media-choice")?.classList.toggle("is-chosen", input.checked);
            box.replaceChildren();
            for (const input of picked.slice(0, 4)) {
                const img = document.createElement("img");
                img.src = input.dataset.url;
                img.alt = input.dataset.alt ?? "";
                img.loading = "lazy";
                box.append(img);
            }
            box.dataset.count = String(Math.min(picked.length, 4));
            box.hidden = picked.length === 0;
        }
        for (const input of form.querySelectorAll("input[name=Media]"))
            input.closest(".media-choice")?.classList.toggle("is-chosen", input.checked);
    }

    // ---- Threads: parts after the variant's text, added, moved and removed with buttons (so by keyboard too) ----
    const partsOf = card => [...card.querySelectorAll(".thread-parts > .thread-part")];
    const partArea = part => part.querySelector("textarea.thread-text");
    let partIds = 0;
    // The server's check of each part, by network and text: a part is sent to the check once per text it has held.
    const partChecks = new Map();
    const partKey = (network, text) => `${network}\n${text}`;
    function renderThreadPreview(card) {
        const replies = card.querySelector(".preview-replies");
        if (!replies) return;
        replies.replaceChildren();
        for (const part of partsOf(card)) {
            const text = partArea(part).value;
            if (!text.trim()) continue;
            // Each part shows as a reply under the one before, as the network threads them.
            const figure = document.createElement("div");
            figure.className = `post-preview preview-reply ${[...replies.classList].find(c => c.startsWith("preview-") && c !== "preview-replies") ?? ""}`;
            const head = document.createElement("div");
            head.className = "preview-head";
            const avatar = document.createElement("span");
            avatar.className = "preview-avatar"; avatar.setAttribute("aria-hidden", "true");
            avatar.textContent = (replies.dataset.brand ?? "?").slice(0, 1).toUpperCase() || "?";
            const name = document.createElement("span");
            name.className = "preview-name"; name.textContent = replies.dataset.brand ?? "";
            head.append(avatar, name);
            const body = document.createElement("div");
            body.className = "preview-text";
            highlightInto(body, text);
            figure.append(head, body);
            replies.append(figure);
        }
        replies.hidden = replies.children.length === 0;
    }
    function refreshPart(card, part) {
        const length = estimate(partArea(part).value, card);
        const out = part.querySelector(".thread-length");
        if (out) out.textContent = numbers.format(length);
        const max = card.dataset.maxLength ? Number(card.dataset.maxLength) : null;
        part.querySelector(".thread-counter")?.classList.toggle("text-danger", max !== null && length > max);
        part.querySelector(".thread-counter")?.classList.toggle("fw-bold", max !== null && length > max);
    }
    function renumber(card) {
        const box = card.querySelector(".variant-thread");
        const parts = partsOf(card);
        parts.forEach((part, i) => {
            // Part 1 is the variant's text: the boxes here are parts 2 to n.
            part.querySelector(".thread-label").textContent = (box.dataset.partLabel ?? "{0}").replace("{0}", String(i + 2));
            part.dataset.number = String(i + 2);
            part.querySelector(".thread-up").disabled = i === 0;
            part.querySelector(".thread-down").disabled = i === parts.length - 1;
        });
        renderThreadPreview(card);
    }
    function announce(card, template, ...values) {
        const status = card.querySelector(".thread-status");
        if (status) status.textContent = values.reduce((t, v, i) => t.replace(`{${i}}`, String(v)), template ?? "");
    }
    function setUpPart(card, part) {
        const area = partArea(part);
        if (!area.id) area.id = `thread-${card.dataset.variant}-new-${++partIds}`;
        part.querySelector(".thread-label").htmlFor = area.id;
        area.addEventListener("input", () => { refreshPart(card, part); renderThreadPreview(card); later(); });
        const box = card.querySelector(".variant-thread");
        const move = (button, step) => {
            const from = Number(part.dataset.number);
            const sibling = step < 0 ? part.previousElementSibling : part.nextElementSibling;
            if (!sibling) return;
            if (step < 0) sibling.before(part); else sibling.after(part);
            renumber(card);
            // The moved part keeps the focus; at an end its button is off, so the other one takes it.
            (button.disabled ? part.querySelector(step < 0 ? ".thread-down" : ".thread-up") : button).focus();
            announce(card, box.dataset.movedLabel, from, part.dataset.number);
            later();
        };
        part.querySelector(".thread-up").addEventListener("click", e => move(e.currentTarget, -1));
        part.querySelector(".thread-down").addEventListener("click", e => move(e.currentTarget, 1));
        part.querySelector(".thread-remove").addEventListener("click", () => {
            const number = part.dataset.number;
            const next = part.nextElementSibling ?? part.previousElementSibling;
            part.remove();
            renumber(card);
            (next ? partArea(next) : card.querySelector(".thread-add")).focus();
            announce(card, box.dataset.removedLabel, number);
            later();
        });
        refreshPart(card, part);
    }
    function setUpThread(card) {
        const box = card.querySelector(".variant-thread");
        if (!box) return;
        for (const part of partsOf(card)) setUpPart(card, part);
        box.querySelector(".thread-add").addEventListener("click", () => {
            const part = box.querySelector("template.thread-part-template").content.firstElementChild.cloneNode(true);
            box.querySelector(".thread-parts").append(part);
            setUpPart(card, part);
            renumber(card);
            partArea(part).focus();
            later();
        });
        renumber(card);
    }

    // ---- Following the main text ----
    function setFollowing(card, following) {
        card.dataset.follows = following ? "true" : "false";
        card.querySelector(".variant-following").hidden = !following;
        card.querySelector(".variant-diverged").hidden = following;
    }
    function refresh(card) {
        showCount(card, estimate(areaOf(card).value, card));
        renderPreview(card);
    }
    for (const card of cards()) {
        const area = areaOf(card);
        setFollowing(card, card.dataset.follows === "true" || area.value === main.value);
        area.addEventListener("input", () => {
            setFollowing(card, area.value === main.value);
            refresh(card);
            later();
        });
        card.querySelector(".variant-follow")?.addEventListener("click", () => {
            area.value = main.value;
            setFollowing(card, true);
            refresh(card);
            later();
            area.focus();
        });
        for (const input of card.querySelectorAll("input.variant-own-media, .variant-media-choices input"))
            input.addEventListener("change", () => { renderImages(); later(); });
        setUpThread(card);
        refresh(card);
    }
    main.addEventListener("input", () => {
        for (const card of cards()) if (card.dataset.follows === "true") { areaOf(card).value = main.value; refresh(card); }
        later();
    });

    // ---- On a phone, variants that follow the main text fold to their header (network, count): the date and time
    // below them are in reach. One that differs, or has an error, stays open; the header's button opens any. ----
    function setFolded(card, folded) {
        card.classList.toggle("is-folded", folded);
        card.querySelector(".variant-fold")?.setAttribute("aria-expanded", String(!folded));
    }
    const phone = window.matchMedia("(max-width: 991.98px)").matches; // Bootstrap's lg, as post-editor.css
    for (const card of cards()) {
        card.querySelector(".variant-fold")?.addEventListener("click", () => setFolded(card, !card.classList.contains("is-folded")));
        const errors = [...card.querySelectorAll(".text-danger")].some(e => e.textContent.trim() !== "");
        if (phone && card.dataset.follows === "true" && !errors) setFolded(card, true);
    }

    // ---- Networks chosen: their variants show (others are disabled, so not posted) ----
    function syncNetworks() {
        for (const box of form.querySelectorAll("input[name=Networks]")) {
            const col = form.querySelector(`[data-variant-col="${CSS.escape(box.value)}"]`);
            if (!col) continue;
            col.hidden = !box.checked;
            for (const field of col.querySelectorAll("textarea, input, .thread-add")) field.disabled = !box.checked;
            const card_ = col.querySelector(".variant-card");
            if (box.checked && card_.querySelector(".variant-thread")) renumber(card_); // its move buttons, as they were
            const card = col.querySelector(".variant-card");
            if (box.checked && card.dataset.follows === "true" && areaOf(card).value !== main.value) { areaOf(card).value = main.value; refresh(card); }
        }
        const section = document.getElementById("variants-section");
        if (section) section.hidden = chosen().length === 0;
        const article = blogChosen();
        if (articleHint) articleHint.hidden = !article;
        for (const button of form.querySelectorAll(".article-insert")) button.hidden = !article;
        for (const card of chosen()) refresh(card);
    }
    // The article's title changes its address, so the teasers' counts.
    const articleInput = () => { for (const card of chosen()) if (card.dataset.variant !== "blog") refresh(card); };
    form.querySelector('.variant-card[data-variant="blog"] textarea.variant-text')?.addEventListener("input", articleInput);
    main.addEventListener("input", articleInput);
    // "Insert the article's address": the placeholder at the cursor, replaced by the address when the teaser goes out.
    for (const button of form.querySelectorAll(".article-insert")) {
        button.addEventListener("click", () => {
            const area = areaOf(button.closest(".variant-card"));
            const at = area.selectionStart ?? area.value.length, end = area.selectionEnd ?? at;
            const before = area.value.slice(0, at), spaced = before.length > 0 && !/\s$/.test(before) ? " " : "";
            area.setRangeText(spaced + articleHint.dataset.placeholder, at, end, "end");
            area.dispatchEvent(new Event("input", { bubbles: true }));
            area.focus();
        });
    }
    for (const box of form.querySelectorAll("input[name=Networks]")) box.addEventListener("change", () => { syncNetworks(); later(); });

    // ---- Live draft checks ----
    let timer = 0, running = null, sequence = 0;
    const later = () => { clearTimeout(timer); timer = setTimeout(check, 400); form.dataset.checkPending = "true"; };
    const acknowledgedOf = card => (card.querySelector("input.variant-acknowledged")?.value ?? "").split("\n").filter(k => k);
    async function check() {
        const shown = chosen();
        if (shown.length === 0) { delete form.dataset.checkPending; return; }
        running?.abort();
        running = new AbortController();
        const mine = ++sequence;
        // The post's channels (when it names some) set the limits: a Mastodon instance's length, images and their size.
        const channels = [...form.querySelectorAll("input[name=Channels]")].map(i => i.value);
        const body = { text: main.value, networks: [], variants: {}, acknowledged: {}, channels, media: {}, threads: {} };
        for (const card of shown) {
            const n = card.dataset.variant;
            body.networks.push(n);
            body.media[n] = imagesOf(card);
            if (card.dataset.follows !== "true") body.variants[n] = areaOf(card).value;
            body.acknowledged[n] = acknowledgedOf(card);
            // Parts already checked as they read now are not sent again (null keeps the box's place): typing in one
            // part checks that part alone.
            const parts = partsOf(card);
            if (parts.length > 0) body.threads[n] = parts.map(p => partChecks.has(partKey(n, partArea(p).value)) ? null : partArea(p).value);
        }
        try {
            const response = await fetch(`${base}/check`, {
                method: "POST", credentials: "same-origin", signal: running.signal,
                headers: { "Content-Type": "application/json", "RequestVerificationToken": token(), "Accept": "application/json" },
                body: JSON.stringify(body),
            });
            if (!response.ok || mine !== sequence) return;
            const result = await response.json();
            for (const variant of result.variants) {
                const card = form.querySelector(`.variant-card[data-variant="${CSS.escape(variant.network)}"]`);
                if (card) showIssues(card, variant);
            }
            for (const thread of result.threads ?? []) {
                const card = form.querySelector(`.variant-card[data-variant="${CSS.escape(thread.network)}"]`);
                if (!card) continue;
                const sent = body.threads[thread.network] ?? [];
                thread.parts.forEach((part, i) => { if (part && sent[i] !== null) partChecks.set(partKey(thread.network, sent[i]), part); });
                showPartIssues(card, partsOf(card).map(p => partChecks.get(partKey(thread.network, partArea(p).value)) ?? null));
            }
            delete form.dataset.checkPending;
            form.dataset.checked = String(mine);
        } catch (e) {
            if (e.name !== "AbortError") form.dataset.checkError = String(e);
        }
    }
    // The variant's images: its own choice, or the main text's.
    function imagesOf(card) {
        const own = card.querySelector("input.variant-own-media")?.checked === true;
        const picked = own ? card.querySelectorAll(".variant-media-choices input:checked") : form.querySelectorAll("input[name=Media]:checked");
        return [...picked].map(i => i.value);
    }
    function showIssues(card, variant) {
        // The limit that applies is the server's (a connected instance's own), not the catalogue's the page started with.
        if (variant.maxLength === null || variant.maxLength === undefined) delete card.dataset.maxLength;
        else if (String(variant.maxLength) !== card.dataset.maxLength) {
            card.dataset.maxLength = String(variant.maxLength);
            const max = card.querySelector(".variant-max");
            if (max) max.textContent = numbers.format(variant.maxLength);
        }
        showCount(card, variant.length);
        card.dataset.errors = String(variant.errors);
        card.classList.toggle("border-danger", variant.errors > 0);
        if (variant.errors > 0) setFolded(card, false);
        const list = card.querySelector(".variant-issues");
        list.replaceChildren();
        for (const issue of variant.issues) {
            const li = document.createElement("li");
            li.className = `variant-issue issue-${issue.severity}` + (issue.acknowledged ? " is-acknowledged" : "");
            li.dataset.kind = issue.kind;
            const badge = document.createElement("span");
            badge.className = `badge me-1 ${issue.severity === "error" ? "text-bg-danger" : "text-bg-warning"}`;
            badge.textContent = issue.label;
            const text = document.createElement("button");
            text.type = "button";
            text.className = "btn btn-link btn-sm p-0 text-start issue-select";
            text.textContent = issue.message + (issue.suggestion ? ` — ${issue.suggestion}` : "");
            text.title = list.dataset.selectLabel ?? "";
            // Selecting the range shows where the issue is, in the variant's own text.
            text.addEventListener("click", () => {
                const area = areaOf(card);
                area.focus();
                area.setSelectionRange(issue.start, issue.start + Math.max(issue.length, 0));
            });
            li.append(badge, text);
            if (issue.severity === "warning") {
                const id = `ack-${card.dataset.variant}-${list.children.length}`;
                const wrap = document.createElement("span");
                wrap.className = "form-check form-check-inline ms-2 small";
                const box = document.createElement("input");
                box.type = "checkbox"; box.className = "form-check-input"; box.id = id; box.checked = issue.acknowledged;
                const label = document.createElement("label");
                label.className = "form-check-label"; label.htmlFor = id; label.textContent = list.dataset.acknowledgeLabel ?? "OK";
                box.addEventListener("change", () => {
                    const hidden = card.querySelector("input.variant-acknowledged");
                    const keys = new Set(acknowledgedOf(card));
                    if (box.checked) keys.add(issue.key); else keys.delete(issue.key);
                    hidden.value = [...keys].join("\n");
                    li.classList.toggle("is-acknowledged", box.checked);
                });
                wrap.append(box, label);
                li.append(wrap);
            }
            list.append(li);
        }
        const summary = card.querySelector(".variant-check-summary");
        if (summary) summary.textContent = variant.issues.length === 0 ? (list.dataset.cleanLabel ?? "") : "";
    }

    // A thread's parts as the server counted and checked them, each box its own (the order of the boxes when asked).
    function showPartIssues(card, results) {
        const parts = partsOf(card);
        let errors = 0;
        results.forEach((result, i) => {
            const part = parts[i];
            if (!part || !result) return;
            const out = part.querySelector(".thread-length");
            if (out && partArea(part).value.trim()) out.textContent = numbers.format(result.length);
            part.querySelector(".thread-counter")?.classList.toggle("text-danger", result.errors > 0);
            part.querySelector(".thread-counter")?.classList.toggle("fw-bold", result.errors > 0);
            partArea(part).classList.toggle("is-invalid", result.errors > 0);
            errors += result.errors;
            const list = part.querySelector(".thread-issues");
            list.replaceChildren();
            for (const issue of result.issues) {
                const li = document.createElement("li");
                li.className = `variant-issue issue-${issue.severity}`;
                li.dataset.kind = issue.kind;
                const badge = document.createElement("span");
                badge.className = `badge me-1 ${issue.severity === "error" ? "text-bg-danger" : "text-bg-warning"}`;
                badge.textContent = issue.label;
                const text = document.createElement("button");
                text.type = "button";
                text.className = "btn btn-link btn-sm p-0 text-start issue-select";
                text.textContent = issue.message + (issue.suggestion ? ` — ${issue.suggestion}` : "");
                text.addEventListener("click", () => {
                    const area = partArea(part);
                    area.focus();
                    area.setSelectionRange(issue.start, issue.start + Math.max(issue.length, 0));
                });
                li.append(badge, text);
                list.append(li);
            }
        });
        card.dataset.threadErrors = String(errors);
    }

    // ---- Images: choose from the library, or upload one (with its alt text) and choose it ----
    for (const input of form.querySelectorAll("input[name=Media]")) input.addEventListener("change", () => { renderImages(); later(); });
    const upload = document.getElementById("media-upload-inline");
    if (upload) {
        upload.hidden = false;
        const file = upload.querySelector("input[type=file]"), alt = upload.querySelector(".media-upload-alt"), status = upload.querySelector(".media-upload-status");
        upload.querySelector("button").addEventListener("click", async () => {
            status.classList.remove("text-danger");
            if (!file.files?.length) { status.textContent = upload.dataset.chooseLabel; status.classList.add("text-danger"); file.focus(); return; }
            if (!alt.value.trim()) { status.textContent = upload.dataset.altLabel; status.classList.add("text-danger"); alt.focus(); return; }
            const data = new FormData();
            data.append("file", file.files[0]);
            data.append("altText", alt.value.trim());
            data.append("__RequestVerificationToken", token());
            const response = await fetch(upload.dataset.url, { method: "POST", body: data, credentials: "same-origin", headers: { "Accept": "application/json" } });
            const result = await response.json().catch(() => ({ error: String(response.status) }));
            if (!response.ok) { status.textContent = result.error; status.classList.add("text-danger"); return; }
            status.textContent = result.message;
            let input = form.querySelector(`input[name=Media][value="${CSS.escape(result.id)}"]`);
            if (!input) input = addChoice(result);
            input.checked = true;
            file.value = ""; alt.value = "";
            renderImages();
        });
    }
    function addChoice(item) {
        const list = document.getElementById("media-choices");
        const template = document.getElementById("media-choice-template");
        const node = template.content.firstElementChild.cloneNode(true);
        const input = node.querySelector("input");
        input.value = item.id; input.id = `media-choice-${item.id}`;
        input.dataset.url = item.url; input.dataset.alt = item.altText;
        node.querySelector("label").htmlFor = input.id;
        const img = node.querySelector("img");
        img.src = item.url; img.alt = item.altText;
        node.querySelector(".media-choice-name").textContent = item.fileName;
        node.querySelector(".media-choice-alt").textContent = item.altText;
        input.addEventListener("change", () => { renderImages(); later(); });
        list.prepend(node);
        document.getElementById("media-none")?.remove();
        return input;
    }

    // ---- Recurrence: controls that write the rule; the server says it in words and gives the next dates ----
    const rec = document.getElementById("recurrence-editor");
    if (rec) setUpRecurrence(rec);
    function setUpRecurrence(rec) {
        const raw = document.getElementById("Recurrence");
        const controls = rec.querySelector(".recurrence-controls");
        const freq = rec.querySelector("#rec-frequency"), interval = rec.querySelector("#rec-interval");
        const days = [...rec.querySelectorAll("input[name=rec-day]")];
        const monthly = [...rec.querySelectorAll("input[name=rec-monthly]")];
        const ends = [...rec.querySelectorAll("input[name=rec-end]")];
        const count = rec.querySelector("#rec-count"), until = rec.querySelector("#rec-until");
        const date = document.getElementById("Date"), time = document.getElementById("Time"), skipped = document.getElementById("SkippedDates");
        const summary = rec.querySelector("#recurrence-summary"), next = rec.querySelector("#recurrence-next");
        const codes = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"];
        controls.hidden = false;

        const startDay = () => date.value ? new Date(`${date.value}T12:00:00Z`) : null;
        function describeMonthly() {
            const d = startDay();
            const labels = rec.querySelectorAll(".rec-monthly-label");
            if (!d) return;
            const day = d.getUTCDate(), weekday = codes[(d.getUTCDay() + 6) % 7];
            const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
            monthly[0].dataset.rule = `BYMONTHDAY=${day}`;
            monthly[1].dataset.rule = `BYDAY=${Math.ceil(day / 7)}${weekday}`;
            monthly[2].dataset.rule = `BYDAY=-1${weekday}`;
            monthly[2].disabled = day + 7 <= last; // "last Friday" only when the start is one
            monthly[2].closest(".form-check").hidden = monthly[2].disabled;
            const ordinals = (rec.dataset.ordinals ?? "").split("|"), names = (rec.dataset.days ?? "").split("|");
            for (const label of labels)
                label.textContent = (label.dataset.template ?? "").replace("{0}", String(day))
                    .replace("{1}", ordinals[Math.min(Math.ceil(day / 7), 5) - 1] ?? "").replace("{2}", names[(d.getUTCDay() + 6) % 7] ?? "");
        }
        function compose() {
            if (!freq.value) return "";
            const parts = [`FREQ=${freq.value}`];
            const n = Number(interval.value);
            if (n > 1) parts.push(`INTERVAL=${n}`);
            if (freq.value === "WEEKLY") {
                const picked = days.filter(d => d.checked).map(d => d.value);
                if (picked.length > 0) parts.push(`BYDAY=${picked.join(",")}`);
            }
            if (freq.value === "MONTHLY") {
                const m = monthly.find(r => r.checked && !r.disabled);
                if (m?.dataset.rule) parts.push(m.dataset.rule);
            }
            const end = ends.find(e => e.checked)?.value;
            if (end === "count" && Number(count.value) > 0) parts.push(`COUNT=${Number(count.value)}`);
            if (end === "until" && until.value) parts.push(`UNTIL=${until.value.replaceAll("-", "")}`);
            return parts.join(";");
        }
        function show() {
            rec.querySelector(".rec-weekly").hidden = freq.value !== "WEEKLY";
            rec.querySelector(".rec-monthly").hidden = freq.value !== "MONTHLY";
            rec.querySelector(".rec-repeat").hidden = !freq.value;
            count.disabled = ends.find(e => e.checked)?.value !== "count";
            until.disabled = ends.find(e => e.checked)?.value !== "until";
        }
        // Reads the rule into the controls; false when the controls cannot say it (the expert field stays open).
        function parse(rule) {
            const parts = Object.fromEntries(rule.split(";").filter(p => p.includes("=")).map(p => p.split("=", 2).map(s => s.trim().toUpperCase())));
            if (!rule.trim()) { freq.value = ""; return true; }
            if (!["DAILY", "WEEKLY", "MONTHLY", "YEARLY"].includes(parts.FREQ)) return false;
            freq.value = parts.FREQ;
            interval.value = parts.INTERVAL ?? "1";
            for (const d of days) d.checked = (parts.BYDAY ?? "").split(",").includes(d.value);
            describeMonthly();
            let known = !parts.WKST && !(parts.FREQ !== "WEEKLY" && parts.FREQ !== "MONTHLY" && (parts.BYDAY || parts.BYMONTHDAY));
            if (parts.FREQ === "MONTHLY") {
                const mine = parts.BYMONTHDAY ? `BYMONTHDAY=${parts.BYMONTHDAY}` : parts.BYDAY ? `BYDAY=${parts.BYDAY}` : "";
                const m = monthly.find(r => r.dataset.rule === mine) ?? (mine === "" ? monthly[0] : null);
                if (m) m.checked = true; else known = false;
            }
            if (parts.COUNT) { ends[1].checked = true; count.value = parts.COUNT; }
            else if (parts.UNTIL) { ends[2].checked = true; until.value = parts.UNTIL.slice(0, 8).replace(/(\d{4})(\d{2})(\d{2})/, "$1-$2-$3"); }
            else ends[0].checked = true;
            return known;
        }
        let previewTimer = 0, previewRun = null;
        async function preview() {
            clearTimeout(previewTimer);
            previewRun?.abort();
            previewRun = new AbortController();
            const query = new URLSearchParams({ rule: raw.value, start: date.value ? `${date.value}T${time.value || "09:00"}` : "", skipped: skipped?.value ?? "" });
            try {
                const response = await fetch(`${base}/recurrence?${query}`, { credentials: "same-origin", signal: previewRun.signal, headers: { "Accept": "application/json" } });
                if (!response.ok) return;
                const result = await response.json();
                summary.textContent = result.problem ?? result.summary ?? "";
                summary.classList.toggle("text-danger", !!result.problem);
                next.replaceChildren(...(result.next ?? []).map(o => { const li = document.createElement("li"); li.textContent = o.label; li.dataset.date = o.date; return li; }));
                next.hidden = next.children.length === 0;
                rec.querySelector("#recurrence-next-title").hidden = next.hidden;
                rec.dataset.previewed = raw.value;
            } catch (e) { if (e.name !== "AbortError") rec.dataset.error = String(e); }
        }
        const previewSoon = () => { clearTimeout(previewTimer); previewTimer = setTimeout(preview, 300); };
        function write() {
            raw.value = compose();
            show();
            previewSoon();
        }
        const expert = rec.querySelector("details");
        if (parse(raw.value) && expert) expert.open = false;
        show();
        preview();
        for (const input of controls.querySelectorAll("input, select")) input.addEventListener("change", write);
        interval.addEventListener("input", write);
        count.addEventListener("input", write);
        raw.addEventListener("input", () => { parse(raw.value); show(); previewSoon(); });
        date.addEventListener("change", () => { describeMonthly(); if (freq.value === "MONTHLY") raw.value = compose(); previewSoon(); });
        time.addEventListener("change", previewSoon);
        skipped?.addEventListener("change", previewSoon);
    }

    syncNetworks();
    renderImages();
    later();
})();
