/**
 * Loads the demo city into a running platform through its public API (`pnpm demo`):
 *   pnpm demo                                  # the gateway of `pnpm start` (GATEWAY_PORT or 8080)
 *   pnpm demo --gateway http://host:8080 --scale 0.1
 * A second run adds nothing.
 */
import { parseArgs } from "node:util";
import { loadDemoCity } from "./demo-city/load-demo-city.js";
import { progressBar } from "./demo-city/progress-bar.js";
import { portsFrom } from "./ports.js";

const { values } = parseArgs({
  options: {
    gateway: { type: "string", default: `http://127.0.0.1:${portsFrom(process.env).gateway.http}` },
    scale: { type: "string", default: "1" },
  },
});
const scale = Number(values.scale);
if (!(scale > 0 && scale <= 1)) {
  console.error("--scale must be a number above 0 and at most 1");
  process.exit(2);
}
const started = Date.now();
const report = await loadDemoCity(values.gateway, { scale, onProgress: progressBar() });
console.log(
  `demo city loaded in ${((Date.now() - started) / 1000).toFixed(1)} s: ${report.areas} areas, ` +
    `${report.departments} departments, ${report.gridStaff} grid staff, ${report.organisations} organisations, ` +
    `${report.cases} hotline cases, ${report.liaisonCadres} liaison cadres, ${report.volunteerActivities} volunteer activities, ` +
    `${report.councils} councils, ${report.maintenanceFunds} maintenance funds` +
    (report.skipped.length > 0 ? ` (already there: ${report.skipped.join(", ")})` : ""),
);
