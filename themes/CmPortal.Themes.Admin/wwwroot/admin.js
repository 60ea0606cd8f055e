// Behaviours of the admin pages, declared in their markup: the Content-Security-Policy allows no inline script
// and no onclick/onchange/onsubmit attribute, so they live here.
//   <select data-submit-on-change>   sends its form when the choice changes (the language, the setup's recipe)
//   <form data-confirm="Question?">  asks before sending (delete buttons)
//   <button data-print>              prints the page (the brand book)
//   <element data-focus-on-load>     takes the focus once the page is shown (an error summary)
//   <button data-copy="#input" data-copied="Copied">  copies the input's value (a token shown once), then says so
(() => {
    "use strict";
    document.addEventListener("change", event => {
        const select = event.target;
        if (select instanceof HTMLSelectElement && select.hasAttribute("data-submit-on-change") && select.form) select.form.submit();
    });
    document.addEventListener("submit", event => {
        const form = event.target;
        if (form instanceof HTMLFormElement && form.dataset.confirm && !window.confirm(form.dataset.confirm)) event.preventDefault();
    });
    document.addEventListener("click", event => {
        if (event.target instanceof Element && event.target.closest("[data-print]")) window.print();
        const copy = event.target instanceof Element ? event.target.closest("[data-copy]") : null;
        if (copy) copyValue(copy);
    });
    // The clipboard API needs a secure context (HTTPS or localhost); elsewhere the selected text is copied the old way.
    function copyValue(button) {
        const input = document.querySelector(button.dataset.copy);
        if (!(input instanceof HTMLInputElement)) return;
        input.select();
        const done = () => { if (button.dataset.copied) button.textContent = button.dataset.copied; };
        if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(input.value).then(done, () => { if (document.execCommand("copy")) done(); });
        else if (document.execCommand("copy")) done();
    }
    document.querySelector("[data-focus-on-load]")?.focus();
})();
