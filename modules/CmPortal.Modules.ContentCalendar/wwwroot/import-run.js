// The CSV import's progress page: polls the run's status (data-status-url on #import-run) and shows how far it is.
(() => {
    "use strict";
    const run = document.getElementById("import-run");
    if (!run) return;
    const bar = document.getElementById("import-progress"), status = document.getElementById("import-status"), errors = document.getElementById("import-errors");
    async function poll() {
        const response = await fetch(run.dataset.statusUrl, { headers: { "Accept": "application/json" } });
        if (!response.ok) { status.textContent = "HTTP " + response.status; return; }
        const state = await response.json();
        bar.max = Math.max(state.total, 1); bar.value = state.done;
        status.textContent = state.label; // written by the server in the reader's language
        run.dataset.status = state.status;
        if (state.status === "failed") {
            errors.replaceChildren(...state.problems.map(p => { const li = document.createElement("li"); li.textContent = p; return li; }));
            errors.classList.remove("d-none");
        } else if (state.status === "running") setTimeout(poll, 500);
        else bar.value = bar.max;
    }
    if (run.dataset.status === "running") poll();
})();
