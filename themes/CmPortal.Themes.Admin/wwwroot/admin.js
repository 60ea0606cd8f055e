// Behaviours of the admin pages, declared in their markup: the Content-Security-Policy allows no inline script
// and no onclick/onchange/onsubmit attribute, so they live here.
//   <select data-submit-on-change>   sends its form when the choice changes (the language, the setup's recipe)
//   <form data-confirm="Question?">  asks before sending (delete buttons)
//   <button data-print>              prints the page (the brand book)
//   <element data-focus-on-load>     takes the focus once the page is shown (an error summary)
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
    });
    document.querySelector("[data-focus-on-load]")?.focus();
})();
