// The recipe run page: polls the run's status (data-status-url on #run-status) and shows each step as it goes.
(() => {
    "use strict";
    const statusEl = document.getElementById("run-status"), stepsEl = document.getElementById("run-steps");
    if (!statusEl || !stepsEl) return;
    async function poll() {
        const response = await fetch(statusEl.dataset.statusUrl, { headers: { "Accept": "application/json" } });
        if (!response.ok) { statusEl.textContent = "HTTP " + response.status; return; }
        const run = await response.json();
        statusEl.textContent = statusEl.dataset["label" + run.status[0].toUpperCase() + run.status.slice(1)]; statusEl.dataset.status = run.status;
        stepsEl.replaceChildren(...run.steps.map(s => {
            const li = document.createElement("li"); li.textContent = s.label || s.name; li.dataset.state = s.state; return li;
        }));
        if (run.status === "failed") {
            const errors = document.getElementById("run-errors");
            errors.textContent = run.errors.join("\n"); errors.classList.remove("d-none");
        } else if (run.status === "succeeded") {
            document.getElementById("open-workspace").href = "/admin/" + encodeURIComponent(run.workspace);
            document.getElementById("run-done").classList.remove("d-none");
        } else setTimeout(poll, 250);
    }
    poll();
})();
