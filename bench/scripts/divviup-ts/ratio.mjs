// Prints the Markdown table of bench/scripts/divviup-ts-ratio.sh: divviup-ts's per-operation times (bench.mjs's
// JSON) beside Prio3Benchmark's (JMH JSON files, run with -prof io.janus.bench.CpuTimeProfiler), and the ratios.
//   node ratio.mjs node.json jmh-1.json [jmh-2.json ...]
// Every figure is the median of the measured iterations. "CPU" is the process's CPU time per operation (Node:
// process.cpuUsage; JMH: the forked JVM's), which on a shared machine varies far less than the wall clock; the
// ratios are divviup-ts / janus-java, so 30x means janus-java takes 1/30 of the time.
//
// The two libraries split preparation differently (divviup-ts truncates the measurement share into the output share
// in prepareInit and its prepareNext only compares a seed; janus-java truncates in prep_next, the Leader's
// leaderContinued), so the single steps after prep_init do not compare. Two summed rows per variant do: a whole
// preparation as the Leader (prepInitLeader + leaderContinued) and as the Helper (prepInitHelper + prepSharesToPrep
// + leaderContinued's prep_next), the same sums on both sides.
import { readFileSync } from "node:fs";

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

const [nodeFile, ...jmhFiles] = process.argv.slice(2);
const node = JSON.parse(readFileSync(nodeFile, "utf8"));
const java = new Map();
for (const f of jmhFiles) {
  for (const run of JSON.parse(readFileSync(f, "utf8"))) {
    const step = run.benchmark.split(".").pop();
    const key = `${run.params.variant} ${step}`;
    const wall = run.primaryMetric.rawData.flat();
    const cpu = (run.secondaryMetrics["cpu.time.per.op"]?.rawData ?? []).flat();
    java.set(key, { wall: median(wall), cpu: cpu.length ? median(cpu) : NaN });
  }
}

const fmt = (x) => (Number.isFinite(x) ? x.toLocaleString("en-US", { maximumFractionDigits: x < 10 ? 2 : 1 }) : "");
const ratio = (a, b) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${(a / b).toFixed(1)}x` : "");

console.log(`divviup-ts: ${node.package} (${node.vdaf}), Node ${node.node}; janus-java: Prio3Benchmark (VDAF-08)`);
console.log("");
console.log("| variant | step | divviup-ts CPU us | janus-java CPU us | ratio (CPU) | divviup-ts wall us | janus-java wall us | ratio (wall) |");
console.log("|---|---|---:|---:|---:|---:|---:|---:|");
const SUMS = {
  "prepare, Leader (sum)": ["prepInitLeader", "leaderContinued"],
  "prepare, Helper (sum)": ["prepInitHelper", "prepSharesToPrep", "leaderContinued"],
};
const ratios = [];
const row = (variant, step, n, j, headline) => {
  const cpuRatio = n.cpu / j.cpu;
  if (headline && Number.isFinite(cpuRatio)) ratios.push({ name: `${variant} ${step}`, cpuRatio });
  const b = headline ? "**" : "";
  console.log(`| ${variant} | ${b}${step}${b} | ${fmt(n.cpu)} | ${fmt(j.cpu)} | ${b}${ratio(n.cpu, j.cpu)}${b} `
    + `| ${fmt(n.wall)} | ${fmt(j.wall)} | ${ratio(n.wall, j.wall)} |`);
};
const variants = [...new Set(node.results.map((r) => r.variant))];
for (const v of variants) {
  const nodeSteps = new Map(node.results.filter((r) => r.variant === v)
    .map((r) => [r.step, { cpu: r.cpuMedianUs, wall: r.wallMedianUs }]));
  for (const [step, n] of nodeSteps) {
    const j = java.get(`${v} ${step}`);
    if (j) row(v, step, n, j, step === "shard");
  }
  for (const [name, parts] of Object.entries(SUMS)) {
    const sum = (get) => parts.reduce((acc, p) => ({ cpu: acc.cpu + (get(p)?.cpu ?? NaN),
      wall: acc.wall + (get(p)?.wall ?? NaN) }), { cpu: 0, wall: 0 });
    row(v, name, sum((p) => nodeSteps.get(p)), sum((p) => java.get(`${v} ${p}`)), true);
  }
}
if (ratios.length) {
  ratios.sort((a, b) => a.cpuRatio - b.cpuRatio);
  const below = ratios.filter((x) => x.cpuRatio < 25);
  console.log("");
  console.log(`CPU ratio of the bold rows (shard, whole preparation per aggregator): lowest `
    + `${ratios[0].cpuRatio.toFixed(1)}x (${ratios[0].name}), median ${median(ratios.map((x) => x.cpuRatio)).toFixed(1)}x; `
    + `below 25x: ` + (below.length ? below.map((x) => `${x.name} ${x.cpuRatio.toFixed(1)}x`).join(", ") : "none"));
}
