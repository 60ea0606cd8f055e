// Check a draft, progressive enhancement: a running count of characters (graphemes) under the draft; the network's
// own count comes with the check. The unit ("characters", translated) is the data-unit of #text-count.
(() => {
    "use strict";
    const text = document.getElementById("Text"), out = document.getElementById("text-count");
    if (!text || !out || !("Segmenter" in Intl)) return;
    const segmenter = new Intl.Segmenter();
    const update = () => { out.textContent = [...segmenter.segment(text.value)].length + " " + (out.dataset.unit ?? ""); };
    text.addEventListener("input", update);
    update();
})();
