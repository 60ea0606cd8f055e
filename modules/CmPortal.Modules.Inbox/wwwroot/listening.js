// The listening page's charts (docs/inbox-listening.md): Chart.js reads the figures the server wrote in
// <script type="application/json" id="listening-data"> (no inline script: the portal's CSP forbids it). Each chart has its
// table on the page; the charts are a picture of those figures.
(() => {
    "use strict";
    document.querySelectorAll(".listening-swatch[data-color]").forEach(s => { s.style.backgroundColor = s.dataset.color; });
    const source = document.getElementById("listening-data");
    if (!source || typeof Chart === "undefined") return;
    const data = JSON.parse(source.textContent);
    const reduced = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    Chart.defaults.animation = reduced ? false : Chart.defaults.animation;
    Chart.defaults.maintainAspectRatio = false;
    Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
    const tones = ["#198754", "#adb5bd", "#dc3545"];

    const share = document.getElementById("share-chart");
    if (share) new Chart(share, {
        type: "line",
        data: { labels: data.buckets, datasets: data.series.map(s => ({ label: s.name, data: s.counts, borderColor: s.color, backgroundColor: s.color, tension: 0.25, pointRadius: 2 })) },
        options: { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } }, plugins: { legend: { position: "bottom" } } },
    });
    const sentiment = document.getElementById("sentiment-chart");
    if (sentiment) new Chart(sentiment, {
        type: "bar",
        data: {
            labels: data.sentiment.queries,
            datasets: [data.sentiment.positive, data.sentiment.neutral, data.sentiment.negative].map((values, i) => ({ label: data.sentiment.names[i], data: values, backgroundColor: tones[i] })),
        },
        options: { indexAxis: "y", scales: { x: { stacked: true, beginAtZero: true, ticks: { precision: 0 } }, y: { stacked: true } }, plugins: { legend: { position: "bottom" } } },
    });
    const trend = document.getElementById("trend-chart");
    if (trend) new Chart(trend, {
        type: "bar",
        data: {
            labels: data.buckets,
            datasets: [data.trend.positive, data.trend.neutral, data.trend.negative].map((values, i) => ({ label: data.sentiment.names[i], data: values, backgroundColor: tones[i] })),
        },
        options: { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } }, plugins: { legend: { position: "bottom" } } },
    });
})();
