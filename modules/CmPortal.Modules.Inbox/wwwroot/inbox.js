// The inbox list and mention page (docs/inbox.md, "Triage"): keyboard shortcuts (on a mention's page too: j/k/h/a/r/?),
// the bulk bar's selection, and the
// "new mentions" notice polled every 30 s. Loaded as a file (strict CSP: no inline script); everything here only
// adds to pages that work without it.
(function () {
    'use strict';
    var list = document.querySelector('[data-inbox-list]');
    var rows = list ? Array.prototype.slice.call(list.querySelectorAll('#mentions > li')) : [];
    var help = document.getElementById('keyboard-shortcuts');
    var status = document.getElementById('shortcut-status');
    var current = -1;

    function say(text) { if (status) { status.textContent = ''; window.setTimeout(function () { status.textContent = text; }, 50); } }

    // Never while typing: fields, editable areas, or with a modifier held (the browser's own shortcuts).
    function typing(event) {
        var el = event.target;
        if (event.ctrlKey || event.metaKey || event.altKey) return true;
        if (!el || !el.tagName) return false;
        var tag = el.tagName.toLowerCase();
        return tag === 'input' || tag === 'textarea' || tag === 'select' || el.isContentEditable;
    }

    function select(index) {
        if (rows.length === 0) return;
        current = Math.max(0, Math.min(rows.length - 1, index));
        rows.forEach(function (row, i) { row.classList.toggle('mention-current', i === current); row.removeAttribute('aria-current'); });
        var row = rows[current];
        row.setAttribute('aria-current', 'true');
        row.focus();
        row.scrollIntoView({ block: 'nearest' });
        say((current + 1) + ' / ' + rows.length);
    }

    function picks() { return list ? Array.prototype.slice.call(list.querySelectorAll('.mention-pick')) : []; }

    function updateCount() {
        var count = document.getElementById('bulk-count');
        var all = document.getElementById('all-on-page');
        if (!count) return;
        var ticked = picks().filter(function (box) { return box.checked; }).length;
        if (all) all.checked = ticked > 0 && ticked === picks().length;
        if (ticked > 0) count.textContent = (count.getAttribute(ticked === 1 ? 'data-selected-one' : 'data-selected-other') || '{0}').replace('{0}', String(ticked));
    }

    // h: the ticked mentions, or the current one, become "handled" through the bulk form (same rules, same message).
    function handle() {
        var form = document.getElementById('bulk-form');
        var button = document.getElementById('bulk-status-apply');
        var statusField = document.getElementById('bulk-status');
        if (!form || !button || !statusField) {
            var single = document.querySelector('button[name="status"][value="Handled"]');
            if (single) single.click();
            return;
        }
        var ticked = picks().filter(function (box) { return box.checked; });
        if (ticked.length === 0) {
            if (current < 0) return;
            var box = rows[current].querySelector('.mention-pick');
            if (!box) return;
            box.checked = true;
        }
        statusField.value = 'Handled';
        if (form.requestSubmit) form.requestSubmit(button); else button.click();
    }

    function assign() {
        var field = document.getElementById('bulk-assignee') || document.getElementById('assigneeId');
        if (field) { field.focus(); field.scrollIntoView({ block: 'center' }); }
    }

    function toggle() {
        if (current < 0) return;
        var box = rows[current].querySelector('.mention-pick');
        if (box) { box.checked = !box.checked; updateCount(); }
    }

    // On a mention's own page: j and k follow its "next" and "previous" links (the list it was opened from).
    function follow(id) {
        var link = document.getElementById(id);
        if (link) window.location.assign(link.href);
        else say(help ? help.getAttribute('data-none') || '' : '');
    }

    function reply() {
        var field = document.getElementById('reply-text');
        if (field) { field.focus(); field.scrollIntoView({ block: 'center' }); }
    }

    function openHelp() { if (help && help.showModal && !help.open) help.showModal(); }

    document.addEventListener('keydown', function (event) {
        if (typing(event) || (help && help.open)) return;
        var key = event.key;
        if ((key === 'j' || key === 'ArrowDown') && rows.length > 0) { event.preventDefault(); select(current + 1); }
        else if ((key === 'k' || key === 'ArrowUp') && rows.length > 0) { event.preventDefault(); select(current < 0 ? 0 : current - 1); }
        else if ((key === 'j' || key === 'k') && !list) { event.preventDefault(); follow(key === 'j' ? 'mention-next' : 'mention-previous'); }
        else if (key === 'r' && !list) { event.preventDefault(); reply(); }
        else if (key === 'Enter' && current >= 0 && event.target === rows[current]) {
            var link = rows[current].querySelector('.mention-open');
            if (link) { event.preventDefault(); link.click(); }
        }
        else if (key === 'h') { event.preventDefault(); handle(); }
        else if (key === 'a') { event.preventDefault(); assign(); }
        else if (key === 'x') { event.preventDefault(); toggle(); }
        else if (key === '/') { var q = document.getElementById('q'); if (q) { event.preventDefault(); q.focus(); q.select(); } }
        else if (key === '?') { event.preventDefault(); openHelp(); }
    });

    document.querySelectorAll('[data-shortcuts-help]').forEach(function (button) {
        button.hidden = false;
        button.addEventListener('click', openHelp);
    });

    // "Select all on this page" ticks every box (the server reads the page's list when it is checked, without JS too).
    var all = document.getElementById('all-on-page');
    if (all) all.addEventListener('change', function () { picks().forEach(function (box) { box.checked = all.checked; }); updateCount(); });
    picks().forEach(function (box) { box.addEventListener('change', updateCount); });
    rows.forEach(function (row, i) { row.addEventListener('focusin', function () { current = i; }); });

    // New mentions: a count with the list's own search, never rows moving under the cursor.
    var notice = document.getElementById('new-mentions');
    var noticeText = document.getElementById('new-mentions-text');
    if (list && notice && noticeText && list.getAttribute('data-new-url')) {
        var url = list.getAttribute('data-new-url');
        var since = list.getAttribute('data-since') || '0';
        var poll = function () {
            if (document.hidden) return;
            var address = url + (url.indexOf('?') < 0 ? '?' : '&') + 'since=' + encodeURIComponent(since);
            fetch(address, { headers: { 'Accept': 'application/json' }, credentials: 'same-origin' })
                .then(function (response) { return response.ok ? response.json() : null; })
                .then(function (data) {
                    if (!data || !data.count) return;
                    var template = data.count === 1 ? notice.getAttribute('data-one') : notice.getAttribute('data-many');
                    var text = (template || '{0}').replace('{0}', String(data.count) + (data.atLeast ? '+' : ''));
                    if (noticeText.textContent !== text) noticeText.textContent = text;
                    notice.hidden = false;
                })
                .catch(function () { /* offline for a moment: the next poll tries again */ });
        };
        var seconds = parseInt(list.getAttribute('data-poll-seconds') || '30', 10);
        window.setInterval(poll, Math.max(seconds, 1) * 1000);
    }
})();
