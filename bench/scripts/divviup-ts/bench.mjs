// Times divviup-ts's Prio3 (npm @divviup/prio3 0.8.0, draft-irtf-cfrg-vdaf-08) on the instances and measurements
// of io.janus.bench.Prio3Variant's VDAF-08 variants, step by step, and writes a JSON result.
//   node bench.mjs --variants COUNT,SUM_8 --warmup 3 --iterations 5 --time-ms 1000 --out node.json
// Each step runs on inputs computed once beforehand (fixed nonce, randomness and verify key), so it times that step
// only. Every iteration runs the step back to back for --time-ms and records the wall-clock and the process CPU time
// per operation (process.cpuUsage: all of the process's threads, as the JMH side's CpuTimeProfiler counts the whole
// forked JVM); the result file holds every measured iteration.
import { Prio3Count, Prio3Histogram, Prio3Sum, Prio3SumVec } from "@divviup/prio3";
import { VDAF_VERSION } from "@divviup/vdaf";
import { readFileSync, writeFileSync } from "node:fs";
import { Buffer } from "node:buffer";

const alternatingBits = (n) => Array.from({ length: n }, (_, i) => (i % 2 === 0 ? 1 : 0));

// Same instances and measurements as Prio3Variant (two aggregators).
const VARIANTS = {
  COUNT: () => [new Prio3Count({ shares: 2 }), true],
  SUM_8: () => [new Prio3Sum({ shares: 2, bits: 8 }), 255],
  SUM_32: () => [new Prio3Sum({ shares: 2, bits: 32 }), 2 ** 32 - 1],
  HISTOGRAM_100_LIBPRIO: () => [new Prio3Histogram({ shares: 2, length: 100, chunkLength: 10 }), 42],
  HISTOGRAM_100_OPTIMAL: () => [new Prio3Histogram({ shares: 2, length: 100, chunkLength: 7 }), 42],
  HISTOGRAM_1000_LIBPRIO: () => [new Prio3Histogram({ shares: 2, length: 1000, chunkLength: 31 }), 421],
  HISTOGRAM_1000_OPTIMAL: () => [new Prio3Histogram({ shares: 2, length: 1000, chunkLength: 33 }), 421],
  SUMVEC_1000_LIBPRIO: () => [new Prio3SumVec({ shares: 2, length: 1000, bits: 1, chunkLength: 31 }), alternatingBits(1000)],
  SUMVEC_1000_OPTIMAL: () => [new Prio3SumVec({ shares: 2, length: 1000, bits: 1, chunkLength: 33 }), alternatingBits(1000)],
};

// Step names are Prio3Benchmark's methods that do the same work (see docs/PERFORMANCE.md, "Against divviup-ts").
const STEPS = ["shard", "prepInitLeader", "prepInitHelper", "prepSharesToPrep", "leaderContinued"];

function args() {
  const a = { variants: Object.keys(VARIANTS).join(","), warmup: 3, iterations: 5, timeMs: 1000, out: "" };
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i += 2) {
    const [k, v] = [argv[i], argv[i + 1]];
    if (k === "--variants") a.variants = v;
    else if (k === "--warmup") a.warmup = Number(v);
    else if (k === "--iterations") a.iterations = Number(v);
    else if (k === "--time-ms") a.timeMs = Number(v);
    else if (k === "--out") a.out = v;
    else throw new Error(`unknown option ${k}`);
  }
  return a;
}

function bytes(n, seed) {
  return Buffer.from(Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff));
}

async function fixture(vdaf, measurement) {
  const nonce = bytes(vdaf.nonceSize, 1);
  const rand = bytes(vdaf.randSize, 2);
  const verifyKey = bytes(vdaf.verifyKeySize, 3);
  const { publicShare, inputShares } = await vdaf.shard(measurement, nonce, rand);
  const init = [];
  for (const id of [0, 1]) {
    init.push(await vdaf.prepareInit(verifyKey, id, null, nonce, publicShare, inputShares[id]));
  }
  const prepShares = init.map((x) => x.preparationShare);
  const message = await vdaf.unshardPreparationShares(null, prepShares);
  const out = init.map((x) => vdaf.prepareNext(x.preparationState, message));
  if (!out.every((o) => "outputShare" in o)) throw new Error("preparation did not finish");
  const agg = vdaf.unshard(null, out.map((o) => vdaf.aggregate(null, [o.outputShare])), 1);
  return { nonce, rand, verifyKey, publicShare, inputShares, init, prepShares, message, agg };
}

function stepFn(step, vdaf, measurement, f) {
  switch (step) {
    case "shard":
      return () => vdaf.shard(measurement, f.nonce, f.rand);
    case "prepInitLeader":
      return () => vdaf.prepareInit(f.verifyKey, 0, null, f.nonce, f.publicShare, f.inputShares[0]);
    case "prepInitHelper":
      return () => vdaf.prepareInit(f.verifyKey, 1, null, f.nonce, f.publicShare, f.inputShares[1]);
    case "prepSharesToPrep":
      return () => vdaf.unshardPreparationShares(null, f.prepShares);
    case "leaderContinued":
      return () => vdaf.prepareNext(f.init[0].preparationState, f.message);
    default:
      throw new Error(step);
  }
}

let sink = 0;

async function iteration(fn, timeMs) {
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const end = t0 + BigInt(timeMs) * 1_000_000n;
  let ops = 0;
  let t = t0;
  do {
    const r = await fn();
    sink ^= r === undefined ? 0 : 1;
    ops++;
    t = process.hrtime.bigint();
  } while (t < end);
  const cpu = process.cpuUsage(cpu0);
  return { wallUs: Number(t - t0) / 1000 / ops, cpuUs: (cpu.user + cpu.system) / ops, ops };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

async function main() {
  const a = args();
  const pkg = JSON.parse(readFileSync(new URL("./node_modules/@divviup/prio3/package.json", import.meta.url)));
  const results = [];
  for (const name of a.variants.split(",").filter((v) => v)) {
    if (!VARIANTS[name]) throw new Error(`unknown variant ${name} (VDAF-08 variants only: ${Object.keys(VARIANTS)})`);
    const [vdaf, measurement] = VARIANTS[name]();
    const f = await fixture(vdaf, measurement);
    for (const step of STEPS) {
      const fn = stepFn(step, vdaf, measurement, f);
      for (let i = 0; i < a.warmup; i++) await iteration(fn, a.timeMs);
      const iters = [];
      for (let i = 0; i < a.iterations; i++) iters.push(await iteration(fn, a.timeMs));
      const row = {
        variant: name,
        step,
        wallUs: iters.map((x) => x.wallUs),
        cpuUs: iters.map((x) => x.cpuUs),
        wallMedianUs: median(iters.map((x) => x.wallUs)),
        cpuMedianUs: median(iters.map((x) => x.cpuUs)),
      };
      results.push(row);
      console.error(`divviup-ts ${name} ${step}: ${row.wallMedianUs.toFixed(2)} us/op wall, `
        + `${row.cpuMedianUs.toFixed(2)} us/op CPU (medians of ${a.iterations})`);
    }
  }
  const doc = { node: process.version, package: `${pkg.name}@${pkg.version}`, vdaf: VDAF_VERSION, sink, results };
  const text = JSON.stringify(doc, null, 1);
  if (a.out) writeFileSync(a.out, text);
  else console.log(text);
}

await main();
