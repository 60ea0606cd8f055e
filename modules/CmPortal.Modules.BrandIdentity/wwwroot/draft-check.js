// Check a draft, live. While the draft is typed, each network's card shows its count at once, counted the way that
// network counts (the same rules as Core's Networks/NetworkTextLength.cs and TextSpans.cs on the server: graphemes, X's weights,
// links at a fixed length, Mastodon's "@user@server" counted as "@user"); after a pause the form is posted to the
// same address with "X-Draft-Check: live" and the server's result replaces #draft-live. A suggestion's button puts
// it in the draft and checks again. No inline script or handler (the portal's CSP forbids them).
(() => {
    "use strict";
    const form = document.getElementById("draft-check-form");
    const text = document.getElementById("Text");
    const live = document.getElementById("draft-live");
    const checking = document.getElementById("draft-checking");
    if (!form || !text || !live || !("Segmenter" in Intl)) return;
    const segmenter = new Intl.Segmenter(undefined, { granularity: "grapheme" });
    const numbers = new Intl.NumberFormat(document.documentElement.lang || undefined);

    // ---- Links, e-mail addresses and mentions (Core: Networks/TextSpans.cs) ----
    const KnownTlds = "com|net|org|fr|eu|be|ch|ca|lu|mc|re|io|co|info|biz|shop|store|app|dev|page|site|online|blog|art|studio|design|" +
        "paris|bzh|alsace|corsica|de|uk|es|it|nl|pt|us|me|tv|ly|gl|gg|xyz|ai|tech|boutique|fashion|media|news";
    const space = String.raw`\f\n\r\t\v\x85\p{Z}`; // .NET's \s
    const EmailPattern = new RegExp(String.raw`(?<![\p{L}\p{N}._%+\-@])[\p{L}\p{N}._%+\-]*[\p{L}\p{N}_%+\-]@[\p{L}\p{N}](?:[\p{L}\p{N}\-]*[\p{L}\p{N}])?(?:\.[\p{L}\p{N}](?:[\p{L}\p{N}\-]*[\p{L}\p{N}])?)*\.\p{L}{2,}(?![\p{L}\p{N}\-])`, "gu");
    const UrlPattern = new RegExp(String.raw`(?<![\p{L}\p{N}@])https?://[^${space}<>"«»\x60{}|\\^]+`, "giu");
    const DomainPattern = new RegExp(String.raw`(?<![\p{L}\p{N}@#$_./\-])(?:[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?\.)+(?:${KnownTlds})(?![\p{L}\p{N}\-_@])(?:[/?#][^${space}<>"«»\x60{}|\\^]*)?`, "giu");
    const MentionPattern = /(?<![\p{L}\p{N}_.@/])@[A-Za-z0-9_](?:[A-Za-z0-9_.\-]*[A-Za-z0-9_])?(?:@[A-Za-z0-9](?:[A-Za-z0-9.\-]*[A-Za-z0-9])?)?/gu;

    const count = (s, c) => s.split(c).length - 1;
    function trimLinkEnd(link) {
        let end = link.length;
        while (end > 0) {
            const c = link[end - 1];
            if (c === ")" || c === "]") {
                const body = link.slice(0, end);
                if (count(body, c === ")" ? "(" : "[") >= count(body, c)) break;
                end--;
            } else if (".,;:!?'’\"»…*~".includes(c)) end--;
            else break;
        }
        const kept = link.slice(0, end);
        return kept.endsWith("://") ? "" : kept;
    }

    // Hashtags are found after these and never hide them, so they do not change a count.
    function spans(value) {
        const found = [];
        const add = (kind, start, length) => {
            if (length > 0 && !found.some(s => start < s.start + s.length && s.start < start + length)) found.push({ kind, start, length });
        };
        for (const m of value.matchAll(UrlPattern)) add("url", m.index, trimLinkEnd(m[0]).length);
        for (const m of value.matchAll(EmailPattern)) add("email", m.index, m[0].length);
        for (const m of value.matchAll(DomainPattern)) add("domain", m.index, trimLinkEnd(m[0]).length);
        for (const m of value.matchAll(MentionPattern)) add("mention", m.index, m[0].length);
        return found.sort((a, b) => a.start - b.start);
    }

    // ---- Weights (Core: Networks/NetworkTextLength.cs) ----
    const isEmoji = g => {
        for (const ch of g) {
            const v = ch.codePointAt(0);
            if ((v >= 0x1F000 && v <= 0x1FAFF) || v === 0xFE0F || v === 0x20E3 || (v >= 0xE0020 && v <= 0xE007F)) return true;
        }
        return false;
    };
    const xWeightOf = v => (v <= 4351 || (v >= 8192 && v <= 8205) || (v >= 8208 && v <= 8223) || (v >= 8242 && v <= 8247)) ? 1 : 2;
    function xWeight(g) {
        if (g === "\r\n") return 1;
        if (isEmoji(g)) return 2;
        let w = 0;
        for (const ch of g.normalize("NFC")) w += xWeightOf(ch.codePointAt(0));
        return w;
    }
    // Chromium's ICU joins Indic conjuncts ("क्ष") into one grapheme (Unicode 15.1, rule GB9c); .NET's StringInfo, which
    // the server counts with, does not: split them back so that both count alike.
    const Linker = /[\u094D\u09CD\u0ACD\u0B4D\u0C4D\u0D4D]/u, Letter = /\p{L}/u, Joiner = /[\u200D\p{M}]/u;
    function splitConjuncts(g) {
        if (!Linker.test(g)) return [g];
        const pieces = [];
        let piece = "", afterLinker = false;
        for (const ch of g) {
            if (piece && afterLinker && Letter.test(ch)) { pieces.push(piece); piece = ""; }
            afterLinker = Linker.test(ch) || (afterLinker && Joiner.test(ch));
            piece += ch;
        }
        pieces.push(piece);
        return pieces;
    }
    const graphemes = s => [...segmenter.segment(s)].flatMap(x => splitConjuncts(x.segment));

    function isShortCcTldDomain(domain) {
        if (domain.includes("/")) return false;
        const end = domain.search(/[?#]/);
        if (end >= 0) domain = domain.slice(0, end);
        const dot = domain.indexOf(".");
        return dot > 0 && domain.lastIndexOf(".") === dot && domain.length - dot - 1 === 2;
    }

    /** The length of a draft as a network counts it; rules = { counting, urlLength, mastodon }. */
    function networkLength(value, rules) {
        const weighted = rules.counting === "WeightedX";
        const weigh = s => weighted ? graphemes(s).reduce((t, g) => t + xWeight(g), 0) : graphemes(s).length;
        const counted = spans(value).filter(s =>
            s.kind === "url" ? rules.urlLength !== null
            : s.kind === "domain" ? rules.urlLength !== null && weighted && !isShortCcTldDomain(value.substr(s.start, s.length))
            : s.kind === "mention" ? rules.mastodon
            : false);
        let total = 0, index = 0;
        for (const s of counted) {
            total += weigh(value.slice(index, s.start));
            if (s.kind === "url" || s.kind === "domain") total += rules.urlLength;
            else {
                const mention = value.substr(s.start, s.length), second = mention.indexOf("@", 1);
                total += weigh(second > 0 ? mention.slice(0, second) : mention);
            }
            index = s.start + s.length;
        }
        return total + weigh(value.slice(index));
    }
    const emojiCount = value => graphemes(value).filter(isEmoji).length;

    // ---- The cards ----
    function updateCounters() {
        const value = text.value, emoji = emojiCount(value);
        for (const card of live.querySelectorAll(".draft-network")) {
            const d = card.dataset;
            const length = networkLength(value, {
                counting: d.counting,
                urlLength: d.urlLength ? Number(d.urlLength) : null,
                mastodon: d.network === "mastodon",
            });
            card.dataset.liveLength = String(length);
            card.dataset.liveEmoji = String(emoji);
            const out = card.querySelector(".draft-count");
            if (out) out.textContent = numbers.format(length);
            const over = d.maxLength && length > Number(d.maxLength);
            card.querySelector(".draft-counter")?.classList.toggle("text-danger", !!over);
            card.querySelector(".draft-counter")?.classList.toggle("fw-semibold", !!over);
            const emojiOut = card.querySelector(".draft-emoji-count");
            if (emojiOut) emojiOut.textContent = numbers.format(emoji);
            card.querySelector(".draft-emoji")?.classList.toggle("text-danger", !!d.maxEmoji && emoji > Number(d.maxEmoji));
        }
    }

    // ---- Live check ----
    let timer = 0, running = null, sequence = 0;
    async function check() {
        clearTimeout(timer);
        running?.abort();
        running = new AbortController();
        const mine = ++sequence, sent = text.value;
        live.setAttribute("aria-busy", "true");
        if (checking) checking.hidden = false;
        try {
            const response = await fetch(form.action, {
                // URL-encoded by hand: FormData would send line breaks as CR LF, and the offsets would drift.
                method: "POST", headers: { "X-Draft-Check": "live" },
                body: new URLSearchParams({ Text: sent, __RequestVerificationToken: form.elements.namedItem("__RequestVerificationToken")?.value ?? "" }),
                credentials: "same-origin", signal: running.signal,
            });
            if (!response.ok || mine !== sequence) return;
            live.innerHTML = await response.text();
            // Up to date unless typed meanwhile (another check is then on its way).
            if (text.value === sent) delete live.dataset.pending;
            updateCounters();
        } catch (e) {
            if (e.name !== "AbortError") live.dataset.error = String(e);
        } finally {
            if (mine === sequence) {
                live.removeAttribute("aria-busy");
                if (checking) checking.hidden = true;
            }
        }
    }
    // data-pending: the result on screen is not yet the one of the text typed.
    const later = () => { live.dataset.pending = "true"; clearTimeout(timer); timer = setTimeout(check, 450); };

    text.addEventListener("input", () => { updateCounters(); later(); });
    form.addEventListener("submit", e => { e.preventDefault(); live.dataset.pending = "true"; check(); });

    // A suggestion's button: replace the range it was made for, if the draft still has the same words there
    // (else the nearest same words), then check again at once.
    live.addEventListener("click", e => {
        const button = e.target instanceof Element ? e.target.closest("button.draft-apply") : null;
        if (!button) return;
        const d = button.dataset, value = text.value;
        let start = Number(d.start);
        const original = d.original ?? "", length = original.length;
        if (value.substr(start, length) !== original) {
            const before = value.lastIndexOf(original, start), after = value.indexOf(original, start);
            const candidates = [before, after].filter(i => i >= 0 && length > 0);
            if (candidates.length === 0) { check(); return; }
            start = candidates.sort((a, b) => Math.abs(a - start) - Math.abs(b - start))[0];
        }
        const replacement = d.replacement ?? "";
        text.value = value.slice(0, start) + replacement + value.slice(start + length);
        text.focus();
        text.setSelectionRange(start + replacement.length, start + replacement.length);
        updateCounters();
        live.dataset.pending = "true";
        check();
    });

    updateCounters();
})();
