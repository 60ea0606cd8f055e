// The brand identity editors, declared in their markup (the Content-Security-Policy allows no inline script):
//   <tbody|div data-rows="Pillars">            a list of rows; each row is a [data-row] child
//   <template data-row-template="Pillars">     a blank row, rendered by the server with the same fields
//   <button data-add-row="Pillars">            adds a blank row at the end
//   <button data-remove-row> (inside a row)    removes its row
// After each change the rows' fields are renumbered (Pillars[0].Name, Pillars[1].Name, ...) so the form binds as
// the server expects, without gaps.
//   <input type="color" data-colour-picker> next to <input data-hex>: kept in sync, the hex code stays editable.
//   <section data-contrast-url="...">          reloads the contrast table (rendered by the server) as the palette changes
//   <div data-pillar-summary>                  the pillars' live total and the value/promotion gauge
(() => {
    "use strict";

    const escape = text => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

    function renumber(list) {
        const prefix = list.dataset.rows;
        const nameRe = new RegExp("^" + escape(prefix) + "\\[\\d+\\]");
        const idRe = new RegExp("^" + escape(prefix) + "_\\d+__");
        [...list.querySelectorAll(":scope > [data-row]")].forEach((row, i) => {
            row.querySelectorAll("[name], [id], [for], [data-valmsg-for]").forEach(field => {
                for (const attribute of ["name", "data-valmsg-for"])
                    if (field.hasAttribute(attribute)) field.setAttribute(attribute, field.getAttribute(attribute).replace(nameRe, `${prefix}[${i}]`));
                for (const attribute of ["id", "for"])
                    if (field.hasAttribute(attribute)) field.setAttribute(attribute, field.getAttribute(attribute).replace(idRe, `${prefix}_${i}__`));
            });
            row.querySelectorAll("[data-row-number]").forEach(number => { number.textContent = String(i + 1); });
        });
        list.closest("[data-rows-section]")?.querySelectorAll("[data-when-empty]")
            .forEach(note => { note.hidden = list.querySelector(":scope > [data-row]") !== null; });
    }

    function changed(list) { list.dispatchEvent(new Event("input", { bubbles: true })); }

    document.addEventListener("click", event => {
        if (!(event.target instanceof Element)) return;
        const add = event.target.closest("[data-add-row]");
        if (add) {
            const kind = add.getAttribute("data-add-row");
            const list = document.querySelector(`[data-rows="${kind}"]`);
            const template = document.querySelector(`template[data-row-template="${kind}"]`);
            if (!list || !template) return;
            const row = template.content.firstElementChild.cloneNode(true);
            list.append(row);
            renumber(list);
            row.querySelector("input:not([type=hidden]):not([type=color]), select, textarea")?.focus();
            changed(list);
            return;
        }
        const remove = event.target.closest("[data-remove-row]");
        if (remove) {
            const row = remove.closest("[data-row]");
            const list = row?.parentElement;
            if (!row || !list) return;
            const next = row.nextElementSibling ?? row.previousElementSibling;
            row.remove();
            renumber(list);
            changed(list);
            // The focus stays in the list (or goes to its add button), not lost at the top of the page.
            const target = next?.querySelector("[data-remove-row]") ?? document.querySelector(`[data-add-row="${list.dataset.rows}"]`);
            target?.focus();
        }
    });

    // Ticking a network opens its guidelines.
    document.addEventListener("change", event => {
        const box = event.target;
        if (box instanceof HTMLInputElement && box.dataset.opens && box.checked) {
            const details = document.getElementById(box.dataset.opens);
            if (details instanceof HTMLDetailsElement) details.open = true;
        }
    });

    // Colour pickers next to hex codes.
    const longHex = value => {
        const v = value.trim().toLowerCase();
        if (/^#[0-9a-f]{6}$/.test(v)) return v;
        if (/^#[0-9a-f]{3}$/.test(v)) return "#" + [...v.slice(1)].map(c => c + c).join("");
        return null;
    };
    document.addEventListener("input", event => {
        const field = event.target;
        if (!(field instanceof HTMLInputElement)) return;
        const row = field.closest("[data-row]");
        if (!row) return;
        if (field.hasAttribute("data-colour-picker")) {
            const hex = row.querySelector("input[data-hex]");
            if (hex) hex.value = field.value;
        } else if (field.hasAttribute("data-hex")) {
            const picker = row.querySelector("input[data-colour-picker]");
            const value = longHex(field.value);
            if (picker && value) picker.value = value;
        }
    });

    // The contrast table, as the server computes it, follows the palette being edited.
    const contrast = document.querySelector("[data-contrast-url]");
    const palette = document.querySelector("[data-rows='Palette']");
    if (contrast && palette) {
        let timer = 0, last = "";
        const refresh = async () => {
            const query = new URLSearchParams();
            palette.querySelectorAll("input[name^='Palette['], select[name^='Palette[']").forEach(field => query.append(field.name, field.value));
            const address = contrast.dataset.contrastUrl + "?" + query.toString();
            if (address === last) return;
            last = address;
            try {
                const response = await fetch(address, { headers: { "Accept": "text/html" }, credentials: "same-origin" });
                if (response.ok && address === last) contrast.querySelector("[data-contrast-body]").innerHTML = await response.text();
            } catch { /* the table keeps its last state; saving still checks everything */ }
        };
        const schedule = () => { clearTimeout(timer); timer = setTimeout(refresh, 250); };
        palette.addEventListener("input", schedule);
        palette.addEventListener("change", schedule);
    }

    // The pillars' total and the value/promotion balance, live.
    const summary = document.querySelector("[data-pillar-summary]");
    const pillars = document.querySelector("[data-rows='Pillars']");
    if (summary && pillars) {
        const target = document.getElementById(summary.dataset.targetField);
        const format = (template, ...values) => values.reduce((text, value, i) => text.replaceAll(`{${i}}`, String(value)), template);
        const update = () => {
            let total = 0, value = 0;
            pillars.querySelectorAll(":scope > [data-row]").forEach(row => {
                const share = parseInt(row.querySelector("input[name$='.Share']")?.value ?? "", 10);
                if (!Number.isFinite(share)) return;
                total += share;
                if (row.querySelector("select[name$='.Kind']")?.value === "Value") value += share;
            });
            const aim = Math.min(100, Math.max(0, parseInt(target?.value ?? "", 10) || 0));
            const promotion = total - value;
            const totalOut = summary.querySelector("[data-total]");
            totalOut.textContent = format(summary.dataset.totalText, total);
            const totalWarning = summary.querySelector("[data-total-warning]");
            totalWarning.textContent = total === 100 ? "" : format(summary.dataset.totalWarning, total);
            totalWarning.hidden = total === 100;
            summary.querySelector("[data-balance]").textContent = format(summary.dataset.balanceText, value, promotion, aim, 100 - aim);
            const balanceWarning = summary.querySelector("[data-balance-warning]");
            balanceWarning.hidden = value === aim;
            balanceWarning.textContent = value === aim ? "" : format(summary.dataset.balanceWarning, value, aim);
            const scale = Math.max(100, total);
            summary.querySelector(".gauge-value").parentElement.style.width = (100 * value / scale) + "%";
            summary.querySelector(".gauge-promotion").parentElement.style.width = (100 * promotion / scale) + "%";
            summary.querySelector(".gauge-target").style.left = (100 * aim / scale) + "%";
        };
        pillars.addEventListener("input", update);
        pillars.addEventListener("change", update);
        target?.addEventListener("input", update);
        update();
    }

    // Font pickers: the preview shows the chosen font, the note its licence; "another font" asks for its name.
    document.querySelectorAll("[data-font-picker]").forEach(picker => {
        const select = picker.querySelector("[data-font-select]");
        const other = picker.querySelector("[data-font-other]");
        const preview = picker.querySelector("[data-font-preview]");
        const fallback = picker.querySelector("[data-font-fallback]");
        const licence = picker.querySelector("[data-font-licence]");
        const link = picker.querySelector("[data-font-licence-link]");
        const quoted = name => "'" + name.replace(/['\\]/g, "") + "'";
        const update = () => {
            const option = select.selectedOptions[0];
            const family = option?.dataset.family ?? other.querySelector("input").value;
            other.hidden = option?.value !== "";
            fallback.placeholder = option?.dataset.fallback ?? "Georgia, serif";
            licence.textContent = option?.dataset.licence ?? "";
            link.hidden = !option?.dataset.licenceUrl;
            if (option?.dataset.licenceUrl) link.href = option.dataset.licenceUrl;
            preview.style.fontFamily = [family ? quoted(family) : "", fallback.value || fallback.placeholder].filter(Boolean).join(", ");
        };
        select.addEventListener("change", update);
        picker.addEventListener("input", update);
    });

    document.querySelectorAll("[data-rows]").forEach(renumber);
})();
