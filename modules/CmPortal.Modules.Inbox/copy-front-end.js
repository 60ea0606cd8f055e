// Copies Chart.js's UMD build and its licence from node_modules into wwwroot/lib (run by the build, see the .csproj):
// the listening page's charts (docs/inbox-listening.md). The version is the one package-lock.json pins.
"use strict";
const fs = require("fs");
const path = require("path");

const from = path.join(__dirname, "node_modules", "chart.js");
const to = path.join(__dirname, "wwwroot", "lib", "chartjs");
fs.mkdirSync(to, { recursive: true });
fs.copyFileSync(path.join(from, "LICENSE.md"), path.join(to, "LICENSE.md"));
fs.copyFileSync(path.join(from, "dist", "chart.umd.min.js"), path.join(to, "chart.umd.min.js"));
