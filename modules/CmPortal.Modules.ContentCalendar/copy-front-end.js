// Copies FullCalendar's standard bundle, its licence and its French locale from node_modules into wwwroot/lib (run by
// the build, see the .csproj). The bundle injects its style sheet, which declares its icon font as a data: URL: the
// portal's Content-Security-Policy (font-src 'self') refuses it and Chromium reports a violation on every calendar
// page. The calendar uses words, not those icons (buttonIcons: false), so the @font-face rule is left out of the copy.
"use strict";
const fs = require("fs");
const path = require("path");

const from = path.join(__dirname, "node_modules");
const to = path.join(__dirname, "wwwroot", "lib", "fullcalendar");
fs.mkdirSync(path.join(to, "locales"), { recursive: true });

const bundle = fs.readFileSync(path.join(from, "fullcalendar", "index.global.min.js"), "utf8");
const fontFace = /@font-face\{font-family:fcicons;[^}]*\}/;
if (!fontFace.test(bundle)) throw new Error("FullCalendar's icon font rule was not found: check copy-front-end.js against the new version.");
fs.writeFileSync(path.join(to, "index.global.min.js"), bundle.replace(fontFace, ""));
fs.copyFileSync(path.join(from, "fullcalendar", "LICENSE.md"), path.join(to, "LICENSE.md"));
fs.copyFileSync(path.join(from, "@fullcalendar", "core", "locales", "fr.global.min.js"), path.join(to, "locales", "fr.global.min.js"));
