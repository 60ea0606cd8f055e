// Saved replies on a mention's page (docs/inbox-answers.md). Nothing here sends anything: "Use this reply" puts a
// suggestion in the textarea; "Copy the reply and open the post" copies the edited text to the clipboard and opens the
// post, then lets the form post so the inbox keeps the reply as a note of the mention.
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
})();
