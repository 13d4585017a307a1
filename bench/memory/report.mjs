// Renders bench/memory results (JSON lines from client.mjs) as the Markdown tables of docs/benchmarks.md.
// Usage: node report.mjs results.jsonl
import { readFileSync } from "node:fs";

const rows = readFileSync(process.argv[2], "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l));
const targets = [...new Set(rows.map((r) => r.target))];
const sizes = [...new Set(rows.map((r) => r.n))].sort((a, b) => a - b);
const get = (n, target, phase) => rows.find((r) => r.n === n && r.target === target && r.phase === phase);
const ms = (v) => (Number.isFinite(v) ? (v < 10 ? v.toFixed(2) : v.toFixed(0)) : "–");
const rate = (v) => (Number.isFinite(v) && v > 0 ? (v < 10 ? v.toFixed(1) : Math.round(v).toLocaleString("en-US")) : "–");
const capped = (r) => (r?.capped ? " (capped)" : "");
const ratio = (a, b) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${(a / b).toFixed(a / b < 1 ? 2 : a / b < 10 ? 1 : 0)}×` : "–");
const reference = targets.includes("reference") ? "reference" : null;

const ops = ["search_nodes", "open_nodes", "add_observations"];
console.log(`| N | operation | ${targets.map((t) => `${t} ops/s | p50 ms | p95 ms`).join(" | ")}${reference ? targets.filter((t) => t !== reference).map((t) => ` | ${t} vs reference (ops/s)`).join("") : ""} |`);
console.log(`|---|---|${targets.map(() => "---|---|---|").join("")}${reference ? targets.filter((t) => t !== reference).map(() => "---|").join("") : ""}`);
for (const n of sizes) {
  for (const phase of ["load", ...ops]) {
    const cells = targets.map((t) => {
      const r = get(n, t, phase);
      if (!r) return "– | – | –";
      if (phase === "load") return `${rate(r.entitiesPerSec)} entities/s${capped(r)} | ${r.seconds.toFixed(1)} s total | –`;
      return `${rate(r.opsPerSec)}${capped(r)} | ${ms(r.p50)} | ${ms(r.p95)}`;
    });
    const vs = reference ? targets.filter((t) => t !== reference).map((t) => {
      const a = get(n, t, phase), b = get(n, reference, phase);
      return ` | ${phase === "load" ? ratio(a?.entitiesPerSec, b?.entitiesPerSec) : ratio(a?.opsPerSec, b?.opsPerSec)}`;
    }).join("") : "";
    console.log(`| ${n.toLocaleString("en-US")} | ${phase} | ${cells.join(" | ")}${vs} |`);
  }
}

console.log(`\nServer CPU time per call (ms; utime + stime of the server process over the measured calls):\n`);
console.log(`| N | operation | ${targets.join(" | ")} |`);
console.log(`|---|---|${targets.map(() => "---|").join("")}`);
for (const n of sizes) {
  for (const phase of ops) {
    console.log(`| ${n.toLocaleString("en-US")} | ${phase} | ${targets.map((t) => ms(get(n, t, phase)?.cpuMs)).join(" | ")} |`);
  }
}

console.log(`\nGrowth of p50 with N (ms):\n`);
console.log(`| operation | target | ${sizes.map((n) => `N=${n.toLocaleString("en-US")}`).join(" | ")} | last / first |`);
console.log(`|---|---|${sizes.map(() => "---|").join("")}---|`);
for (const phase of ops) {
  for (const t of targets) {
    const v = sizes.map((n) => get(n, t, phase)?.p50);
    console.log(`| ${phase} | ${t} | ${v.map((x, i) => ms(x) + capped(get(sizes[i], t, phase))).join(" | ")} | ${ratio(v.at(-1), v[0])} |`);
  }
}

console.log(`\nCorrectness:\n`);
console.log(`| N | target | search results differing from the reference rule | 50 concurrent add_observations: errors | lost writes | also lost (earlier observations) |`);
console.log(`|---|---|---|---|---|---|`);
for (const n of sizes) {
  for (const t of targets) {
    const s = get(n, t, "search_check"), c = get(n, t, "concurrent50");
    console.log(`| ${n.toLocaleString("en-US")} | ${t} | ${s ? `${s.wrongResults} of ${s.queries}` : "–"} | ${c?.errors ?? "–"} | ${c?.lost ?? "–"} | ${c?.originalLost ?? "–"} |`);
  }
}
