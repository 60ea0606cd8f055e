// Saved replies on a mention's page (docs/inbox-answers.md). "Use this reply" puts a suggestion in the textarea; "Copy
// the reply and open the post" copies the edited text to the clipboard and opens the post, then lets the form post so
// the inbox keeps the reply as a note of the mention. On a Mastodon or Bluesky mention, "Send the reply" asks first,
// posts the form once (a second click while it is sent does nothing; the server sends once anyway), and a counter
// shows the reply's length against the chosen channel's (an estimate of the server's NetworkTextLength).
(function () {
    'use strict';
    document.addEventListener('click', function (event) {
        var use = event.target.closest('[data-use-reply]');
        if (use) {
            var target = document.getElementById(use.getAttribute('data-reply-target'));
            if (target) { target.value = use.getAttribute('data-use-reply'); target.focus(); }
            return;
        }
        var copy = event.target.closest('[data-copy-reply]');
        if (!copy) return;
        var area = document.getElementById(copy.getAttribute('data-copy-reply'));
        if (!area || area.value.trim() === '') return; // the server says the reply is empty
        if (navigator.clipboard && navigator.clipboard.writeText) {
            navigator.clipboard.writeText(area.value).catch(function () { area.select(); });
        } else {
            area.select();
            try { document.execCommand('copy'); } catch (e) { /* the note is kept anyway; the member copies by hand */ }
        }
        var url = copy.getAttribute('data-open-url');
        if (url) window.open(url, '_blank', 'noopener');
    });

    var segmenter = typeof Intl !== 'undefined' && 'Segmenter' in Intl ? new Intl.Segmenter(undefined, { granularity: 'grapheme' }) : null;
    function length(text, urlLength) {
        var links = 0;
        if (urlLength) text = text.replace(/https?:\/\/[^\s<>"«»]+/giu, function () { links++; return ''; });
        var count = segmenter ? Array.from(segmenter.segment(text)).length : Array.from(text).length;
        return count + links * (urlLength || 0);
    }
    function showCount(select) {
        var area = document.getElementById(select.getAttribute('data-reply-channel'));
        var out = document.getElementById(select.getAttribute('data-reply-counter'));
        var option = select.options[select.selectedIndex];
        if (!area || !out || !option) return;
        var max = Number(option.getAttribute('data-max-length') || 0);
        var used = length(area.value.trim(), Number(option.getAttribute('data-url-length') || 0));
        // The page gives the singular text and the counts that take it in its language (French: 0 and 1).
        var singular = (out.getAttribute('data-singular') || '1').split(' ').indexOf(String(used)) >= 0;
        out.textContent = out.getAttribute(singular ? 'data-template-one' : 'data-template').replace('{0}', used.toLocaleString(document.documentElement.lang || undefined))
            .replace('{1}', max ? max.toLocaleString(document.documentElement.lang || undefined) : '∞');
        out.classList.toggle('text-danger', max > 0 && used > max);
        out.classList.toggle('fw-bold', max > 0 && used > max);
    }
    document.querySelectorAll('[data-reply-channel]').forEach(function (select) {
        showCount(select);
        select.addEventListener('change', function () { showCount(select); });
        var area = document.getElementById(select.getAttribute('data-reply-channel'));
        if (area) area.addEventListener('input', function () { showCount(select); });
    });
    document.addEventListener('click', function (event) {
        var use = event.target.closest('[data-use-reply]');
        if (!use) return;
        var select = document.querySelector('[data-reply-channel="' + use.getAttribute('data-reply-target') + '"]');
        if (select) showCount(select);
    });
    document.addEventListener('submit', function (event) {
        var button = event.submitter;
        if (!button || !button.hasAttribute('data-send-reply')) return;
        var form = event.target;
        if (form.getAttribute('data-sending') === 'true') { event.preventDefault(); return; }
        var question = button.getAttribute('data-confirm');
        if (question && !window.confirm(question)) { event.preventDefault(); return; }
        form.setAttribute('data-sending', 'true');
        button.setAttribute('aria-disabled', 'true');
        button.classList.add('disabled');
    });
})();
