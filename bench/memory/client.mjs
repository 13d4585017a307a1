// One MCP client (the official TypeScript SDK) driving every memory server under test with the
// same workload: load N entities (3 observations, 1 relation each) in batches, then 200
// search_nodes, 200 open_nodes, 200 single add_observations, and 50 concurrent add_observations
// on one entity, read back to count lost writes. The measured phases rotate between the targets
// in rounds of 50 calls so that load from other processes on the machine falls on all of them.
// Each measured call is also charged the server process's CPU time (utime + stime from /proc/<pid>/stat,
// all threads), which holds up far better than latency on a shared machine: cpuMs is per call.
// Usage: node client.mjs --n 10000 --out results.jsonl --target 'name|stdio|command|arg1 arg2|ENV=v,ENV2=v'
//            --target 'name|http|url|bearer-key|server-pid' [--after-load 'shell command run once everything is loaded']
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { execSync } from "node:child_process";
import { appendFileSync, readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";

const args = parseArgs(process.argv.slice(2));
const N = Number(args.n ?? 1000);
const OPS = Number(args.ops ?? 200);
const BATCH = Number(args.batch ?? 1000);
const BUDGET = Number(args.budget ?? 180) * 1000; // per target and phase, so a slow peer cannot stall the run
const LOAD_BUDGET = Number(args["load-budget"] ?? 900) * 1000;
const ROUND = 50;
const CALL_TIMEOUT = 30 * 60 * 1000;

// ---- the workload: deterministic, so every target gets exactly the same calls ----
const FIRST = ["Ada", "Alan", "Grace", "Edsger", "Barbara", "Donald", "Margaret", "Ken", "Radia", "Tim", "Frances", "John", "Hedy", "Linus", "Sophie", "Claude"];
const LAST = ["Lovelace", "Turing", "Hopper", "Dijkstra", "Liskov", "Knuth", "Hamilton", "Thompson", "Perlman", "Lee", "Allen", "Backus", "Lamarr", "Torvalds", "Wilson", "Shannon"];
const TYPES = ["person", "organization", "project", "place", "event"];
const COMPANIES = ["Acme", "Globex", "Initech", "Umbrella", "Hooli", "Stark", "Wayne", "Tyrell"];
const LANGS = ["Spanish", "French", "German", "Japanese", "Swahili", "Hindi", "Portuguese", "Korean"];
const HOBBIES = ["chess", "piano", "gardening", "climbing", "cycling", "poetry", "astronomy", "origami"];
const CITIES = ["Zürich", "São Paulo", "Kraków", "Reykjavík", "Montréal", "Malmö", "Łódź", "Düsseldorf"];

function mix(i) { // a 32-bit integer hash (deterministic, well spread)
  let x = (i + 0x9e3779b9) | 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}
const token = (i) => (mix(i).toString(36) + mix(i + 7919).toString(36)).padStart(12, "q").slice(0, 10);
const nameOf = (i) => `${FIRST[i % 16]}_${LAST[(i >>> 4) % 16]}_${String(i).padStart(6, "0")}`;
function entity(i) {
  return {
    name: nameOf(i),
    entityType: TYPES[i % TYPES.length],
    observations: [
      `Works at ${COMPANIES[mix(i) % 8]} on project ${token(i)}`,
      `Speaks ${LANGS[mix(i + 1) % 8]} and likes ${HOBBIES[mix(i + 2) % 8]}`,
      `Met ${FIRST[mix(i + 3) % 16]} in ${CITIES[mix(i + 4) % 8]} in ${1990 + (i % 35)}`,
    ],
  };
}
const pick = (k, salt) => mix(k * 31 + salt) % N;
// Four kinds of query, all with a handful of matches at any N (so growth with N is the engine's,
// not the result size's): an exact name, an observation token in upper case, the middle of a
// token, and a miss.
function searchQuery(k) {
  const e = pick(k, 1);
  switch (k % 4) {
    case 0: return nameOf(e);
    case 1: return token(e).toUpperCase();
    case 2: return token(e).slice(2, 7);
    default: return `zq${token(e + N + 13)}xj`;
  }
}

// ---- the targets ----
async function connect(spec) {
  const [name, kind, where, rest = "", env = ""] = spec.split("|");
  const client = new Client({ name: "orchestra-memory-bench", version: "1.0.0" });
  let transport;
  if (kind === "stdio") {
    const environment = Object.fromEntries(env.split(",").filter(Boolean).map((kv) => kv.split(/=(.*)/s).slice(0, 2)));
    transport = new StdioClientTransport({ command: where, args: rest.split(" ").filter(Boolean), env: environment, stderr: "ignore" });
  } else {
    // The SDK hands one long-lived AbortSignal (aborted on close) to every POST, and each request
    // leaves a listener on it: past 1,500 Node prints a warning per call and the list keeps
    // growing. The benchmark never aborts a call, so its fetch leaves the signal out.
    transport = new StreamableHTTPClientTransport(new URL(where), {
      requestInit: { headers: { Authorization: `Bearer ${rest}` } },
      fetch: (url, init) => fetch(url, { ...init, signal: undefined }),
    });
  }
  await client.connect(transport);
  const pid = kind === "stdio" ? transport.pid : Number(env) || null;
  const tools = (await client.listTools()).tools.map((t) => t.name);
  for (const needed of ["create_entities", "create_relations", "search_nodes", "open_nodes", "add_observations"]) {
    if (!tools.includes(needed)) throw new Error(`${name} lacks the tool ${needed}`);
  }
  return { name, client, pid, capped: {} };
}

const TICK_MS = 10; // USER_HZ is 100 on Linux
function cpuMs(target) { // the server's CPU time so far, or NaN when unknown (another OS, a remote server)
  try {
    const fields = readFileSync(`/proc/${target.pid}/stat`, "utf8").split(") ")[1].split(" ");
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS; // utime, stime (fields 14, 15)
  } catch {
    return NaN;
  }
}

async function call(target, tool, argumentsObject) {
  const result = await target.client.callTool({ name: tool, arguments: argumentsObject }, undefined, { timeout: CALL_TIMEOUT });
  if (result.isError) throw new Error(`${target.name} ${tool}: ${result.content?.[0]?.text}`);
  return result.structuredContent ?? JSON.parse(result.content[0].text);
}

function stats(ms, cpu) {
  const sorted = [...ms].sort((a, b) => a - b);
  const q = (p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] : NaN);
  const total = ms.reduce((a, b) => a + b, 0);
  return { ops: ms.length, opsPerSec: ms.length ? (1000 * ms.length) / total : 0, p50: q(0.5), p95: q(0.95),
    cpuMs: ms.length ? cpu / ms.length : NaN };
}

function record(target, phase, data) {
  const row = { n: N, target: target.name, phase, capped: Boolean(target.capped[phase]), ...data };
  appendFileSync(args.out, JSON.stringify(row) + "\n");
  const fmt = (v) => (typeof v === "number" ? (Number.isInteger(v) ? v : v.toFixed(2)) : v);
  console.error(`[n=${N}] ${target.name.padEnd(16)} ${phase.padEnd(16)} ` +
    Object.entries(data).map(([k, v]) => `${k}=${fmt(v)}`).join(" ") + (row.capped ? " (capped)" : ""));
}

async function load(target) {
  const start = performance.now();
  let done = 0;
  for (let from = 0; from < N; from += BATCH) {
    const batch = [];
    for (let i = from; i < Math.min(N, from + BATCH); i++) batch.push(entity(i));
    await call(target, "create_entities", { entities: batch });
    done = Math.min(N, from + BATCH);
    if (performance.now() - start > LOAD_BUDGET) break;
  }
  const entitiesDone = done;
  for (let from = 0; from < entitiesDone && performance.now() - start <= LOAD_BUDGET; from += BATCH) {
    const batch = [];
    for (let i = from; i < Math.min(entitiesDone, from + BATCH); i++) {
      batch.push({ from: nameOf(i), to: nameOf((i + 1) % entitiesDone), relationType: "knows" });
    }
    await call(target, "create_relations", { relations: batch });
    done = entitiesDone + Math.min(entitiesDone, from + BATCH);
  }
  const seconds = (performance.now() - start) / 1000;
  target.loaded = entitiesDone;
  if (done < 2 * N) target.capped.load = true;
  record(target, "load", { entities: entitiesDone, seconds, entitiesPerSec: entitiesDone / seconds });
}

// The measured phases: op(target, k) -> promise; rounds of ROUND calls rotate over the targets.
async function phase(targets, name, op) {
  const times = new Map(targets.map((t) => [t, []]));
  const spent = new Map(targets.map((t) => [t, 0]));
  const cpu = new Map(targets.map((t) => [t, 0]));
  for (let from = 0; from < OPS; from += ROUND) {
    for (const target of targets) {
      if (target.capped.load || spent.get(target) > BUDGET) {
        target.capped[name] = true;
        continue;
      }
      const c0 = cpuMs(target);
      for (let k = from; k < Math.min(OPS, from + ROUND); k++) {
        const t0 = performance.now();
        await op(target, k);
        const ms = performance.now() - t0;
        times.get(target).push(ms);
        spent.set(target, spent.get(target) + ms);
      }
      cpu.set(target, cpu.get(target) + cpuMs(target) - c0);
    }
  }
  for (const target of targets) record(target, name, stats(times.get(target), cpu.get(target)));
}

async function concurrentWrites(target) {
  if (target.capped.load) return;
  const hot = nameOf(pick(9999, 5));
  const contents = Array.from({ length: 50 }, (_, k) => `concurrent write ${k} by writer ${k}`);
  const t0 = performance.now();
  const outcomes = await Promise.allSettled(contents.map((c) => call(target, "add_observations", { observations: [{ entityName: hot, contents: [c] }] })));
  const seconds = (performance.now() - t0) / 1000;
  const errors = outcomes.filter((o) => o.status === "rejected").length;
  let back;
  try {
    back = await call(target, "open_nodes", { names: [hot] });
  } catch (e) { // a server that died under the load (the reference can run out of heap at 100k)
    record(target, "concurrent50", { writes: 50, errors, lost: "server failed", originalLost: "–", seconds, opsPerSec: 50 / seconds });
    console.error(`${target.name}: ${e.message}`);
    return;
  }
  const stored = new Set(back.entities[0]?.observations ?? []);
  const lost = contents.filter((c) => !stored.has(c)).length;
  const original = entity(pick(9999, 5)).observations.filter((o) => !stored.has(o)).length;
  record(target, "concurrent50", { writes: 50, errors, lost, originalLost: original, seconds, opsPerSec: 50 / seconds });
}

function expectedMatches(query) { // the reference's own rule, over the data the client loaded
  const q = query.toLowerCase();
  const out = [];
  for (let i = 0; i < N; i++) {
    const e = entity(i);
    if (e.name.toLowerCase().includes(q) || e.entityType.toLowerCase().includes(q) || e.observations.some((o) => o.toLowerCase().includes(q))) out.push(e.name);
  }
  return out.sort().join("\n");
}

async function main() {
  const specs = [].concat(args.target ?? []);
  const targets = [];
  for (const spec of specs) targets.push(await connect(spec));
  for (const target of targets) await load(target);
  if (args["after-load"]) execSync(args["after-load"], { stdio: "inherit" }); // e.g. VACUUM ANALYZE, as autovacuum would

  // Warm-up (the JVMs' JIT needs thousands of calls to reach steady state, Node's fewer; caches,
  // file system): the same time for every target, 15 s or 3,000 calls of each kind.
  for (const target of targets) {
    const t0 = performance.now();
    for (let k = 0; k < 3000 && performance.now() - t0 < 15_000 && !target.capped.load; k++) {
      await call(target, "search_nodes", { query: searchQuery(k + 100_000) });
      await call(target, "open_nodes", { names: [nameOf(pick(k, 77))] });
      await call(target, "add_observations", { observations: [{ entityName: nameOf(pick(k, 78)), contents: [`warm-up note ${k}`] }] });
    }
  }

  const wrong = new Map(targets.map((t) => [t, 0]));
  const expected = [];
  for (let k = 0; k < OPS; k++) expected.push(expectedMatches(searchQuery(k)));
  await phase(targets, "search_nodes", async (target, k) => {
    const found = await call(target, "search_nodes", { query: searchQuery(k) });
    // Every substring match, and they come first: Orchestra may add semantic matches after them.
    const want = expected[k] === "" ? 0 : expected[k].split("\n").length;
    if (found.entities.slice(0, want).map((e) => e.name).sort().join("\n") !== expected[k]) wrong.set(target, wrong.get(target) + 1);
  });
  for (const target of targets) {
    if (!target.capped.search_nodes && !target.capped.load) record(target, "search_check", { queries: OPS, wrongResults: wrong.get(target) });
  }
  await phase(targets, "open_nodes", (target, k) =>
    call(target, "open_nodes", { names: [nameOf(pick(k, 2)), nameOf(pick(k, 3)), nameOf(pick(k, 4))] }));
  await phase(targets, "add_observations", (target, k) =>
    call(target, "add_observations", { observations: [{ entityName: nameOf(pick(k, 6)), contents: [`bench note ${k} for ${target.name}`] }] }));
  for (const target of targets) await concurrentWrites(target);
  for (const target of targets) await target.client.close().catch(() => {});
}

function parseArgs(list) {
  const out = {};
  for (let i = 0; i < list.length; i += 2) {
    const key = list[i].replace(/^--/, "");
    out[key] = out[key] === undefined ? list[i + 1] : [].concat(out[key], list[i + 1]);
  }
  return out;
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
