/**
 * `npm run bench:exports` — the exports (REFI-QDA .qdpx and .qdc, findings CSV and XLSX, DOCX and
 * Markdown of the synthesis and of one visit report) on the demo study and on the generated
 * study of the findings bench (17 dynamics, 300 reports, 50,000 findings), each against a floor
 * measured in the same run. Flags: --runs=N (per export on the generated study, default 10),
 * --demo-runs=N (default 30), --quick (3 and 10), --budget-s=N (an export stops measuring after
 * N s, at least 3 runs; default 60), --reports=N, --findings=N, --citations=N (synthesis, default
 * 200), --seed=N, --only=a,b (exports whose names start with one of these), --no-demo, --keep.
 * See docs/benchmarks.md.
 */
import type { AppLoadContext } from "@remix-run/node";
import { loadavg } from "node:os";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { findDocument, listStudyDocumentIds } from "../../../db/queries/documents";
import { listAllStudies } from "../../../db/queries/studies";
import { loadDemo } from "../../../server/demo";
import { generateStudy } from "../findings/generate";
import { seededRandom } from "../findings/text";
import { fmt, parseArgs, printTable } from "../shared/report";
import { runOnScratchDatabase } from "../shared/scratch-run";
import { distribution, type Distribution, stopwatch } from "../shared/stats";
import { EXPORTS, type ExportTarget, floor, type Scope } from "./exports";
import { busiestReport, markGeneratedFindings, writeSynthesis } from "./fixtures";

const args = parseArgs();
const quick = args.has("quick");
const runs = { big: Number(args.get("runs") ?? (quick ? 3 : 10)), demo: Number(args.get("demo-runs") ?? (quick ? 10 : 30)) };
const budgetMs = Number(args.get("budget-s") ?? 60) * 1000;
const size = { reports: Number(args.get("reports") ?? 300), findings: Number(args.get("findings") ?? 50_000) };
const maxCitations = Number(args.get("citations") ?? 200);
const seed = Number(args.get("seed") ?? 4);
const only = args.get("only")?.split(",").filter(Boolean) ?? [];
const ORIGIN = "http://localhost:3000";

// A full collection before each memory measure, without asking for `node --expose-gc`.
setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

interface Body {
  bytes: number;
  firstByteMs: number;
  /** Highest JS heap + external memory seen between the call and the last byte (sampled at each chunk). */
  peakMemory: number;
}

/** Live JS objects and buffers (what the export allocates), rather than the RSS: V8 keeps the pages of an earlier peak. */
const memoryInUse = () => {
  const { heapUsed, external } = process.memoryUsage();
  return heapUsed + external;
};

/** Reads a body to its end, counting bytes; the response itself is what the loader returns. */
async function consume(produce: () => Promise<Response | Uint8Array>, startedAt: number): Promise<Body> {
  const produced = await produce();
  let peakMemory = memoryInUse();
  if (produced instanceof Uint8Array) return { bytes: produced.byteLength, firstByteMs: performance.now() - startedAt, peakMemory };
  const reader = produced.body!.getReader();
  let bytes = 0;
  let firstByteMs = Number.NaN;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (Number.isNaN(firstByteMs)) firstByteMs = performance.now() - startedAt;
    bytes += value.byteLength;
    peakMemory = Math.max(peakMemory, memoryInUse());
  }
  return { bytes, firstByteMs, peakMemory };
}

interface Measured {
  study: string;
  name: string;
  scope: Scope;
  reference: boolean;
  load1m: number;
  bytes: number;
  ms: Distribution;
  cpuMs: Distribution;
  firstByteMs: Distribution;
  /** Peak growth of JS heap + external memory during one run after a full GC, in MiB, as sampled. */
  memoryGrowthMb: number;
  /**
   * The longest the event loop went without turning during that run: what a keystroke of the
   * collaboration, served by the same loop, may wait behind the export.
   */
  loopBlockMs: number;
}

/** Warm-up runs, then `n` measured runs (fewer if the budget runs out, at least 3), then one memory run. */
async function time(study: string, name: string, scope: Scope, reference: boolean, n: number, produce: () => Promise<Response | Uint8Array>): Promise<Measured> {
  const load1m = loadavg()[0]!;
  const warmup = n >= 20 ? 3 : 1;
  const wall: number[] = [];
  const cpu: number[] = [];
  const first: number[] = [];
  let bytes = 0;
  const startedAt = performance.now();
  for (let i = 0; i < warmup + n; i++) {
    if (wall.length >= Math.min(3, n) && performance.now() - startedAt > budgetMs) break;
    const stop = stopwatch();
    const body = await consume(produce, performance.now());
    const { ms, cpuMs } = stop();
    bytes = body.bytes;
    if (i < warmup) continue;
    wall.push(ms);
    cpu.push(cpuMs);
    first.push(body.firstByteMs);
  }
  // Chunk boundaries miss what a renderer holds between them: a timer samples too, whenever the
  // event loop is free (a synchronous render still hides its own peak; see docs/benchmarks.md).
  gc();
  const before = memoryInUse();
  let sampled = before;
  // The same timer measures the event loop: a gap between two of its ticks is a stretch in which
  // nothing else (a websocket message) could run. The last gap ends with the last byte.
  let lastTick = performance.now();
  let loopBlockMs = 0;
  const sampler = setInterval(() => {
    sampled = Math.max(sampled, memoryInUse());
    const now = performance.now();
    loopBlockMs = Math.max(loopBlockMs, now - lastTick);
    lastTick = now;
  }, 1);
  const { peakMemory } = await consume(produce, performance.now()).finally(() => clearInterval(sampler));
  loopBlockMs = Math.max(loopBlockMs, performance.now() - lastTick);
  const measured: Measured = {
    study,
    name,
    scope,
    reference,
    load1m,
    bytes,
    ms: distribution(wall),
    cpuMs: distribution(cpu),
    firstByteMs: distribution(first),
    memoryGrowthMb: (Math.max(peakMemory, sampled) - before) / 2 ** 20,
    loopBlockMs,
  };
  console.log(
    `  ${study} · ${name} : p50 ${fmt(measured.ms.p50)} ms, p99 ${fmt(measured.ms.p99)} ms, ${fmt(bytes / 1024)} Kio ` +
      `(n=${measured.ms.n}, charge ${load1m.toFixed(1)})`,
  );
  return measured;
}

/** The floors (one per scope), then every selected export, on one study. */
async function measureStudy(label: string, target: ExportTarget, documents: Record<Scope, string[] | null>, n: number): Promise<Measured[]> {
  const results: Measured[] = [];
  for (const scope of Object.keys(documents) as Scope[]) {
    results.push(await time(label, `plancher ${scope}`, scope, true, n, () => floor(target.context, target.studyId, documents[scope])));
  }
  for (const spec of EXPORTS.filter((e) => only.length === 0 || only.some((o) => e.name.startsWith(o)))) {
    results.push(await time(label, spec.name, spec.scope, false, n, () => spec.run(target)));
  }
  return results;
}

async function main() {
  await runOnScratchDatabase("exports", args.has("keep"), async ({ handle, dir, run }) => {
    // The exports only use `context.db`, as their routes' loaders do once the request is authorized.
    const context = { db: handle.db } as unknown as AppLoadContext;
    const fixtures: Record<string, unknown> = {};
    const results: Measured[] = [];

    if (!args.has("no-demo")) {
      console.log("Démo : chargement…");
      await loadDemo(handle.db);
      const [demo] = await listAllStudies(handle.db);
      const reports = [];
      for (const { id } of await listStudyDocumentIds(handle.db, demo!.id, "report")) {
        const row = await findDocument(handle.db, id);
        if (row?.meeting_id) reports.push({ meetingId: row.meeting_id, documentId: id });
      }
      const report = await busiestReport(handle.db, reports);
      const synthesis = await writeSynthesis(context, demo!.id, maxCitations);
      fixtures.demo = { reports: reports.length, report, synthesis };
      console.log(`  ${reports.length} comptes rendus ; compte rendu mesuré : ${report.findings} enseignements ; synthèse : ${synthesis.citations} citations`);
      const target = { context, studyId: demo!.id, meetingId: report.meetingId, origin: ORIGIN };
      results.push(...(await measureStudy("démo", target, { étude: null, synthèse: [synthesis.documentId], "compte rendu": [report.documentId] }, runs.demo)));
    }

    console.log(`Génération : ${size.reports} rapports, ${size.findings} enseignements dans ${dir}…`);
    const g0 = performance.now();
    const study = await generateStudy(handle.db, seededRandom(seed), size);
    const marks = await markGeneratedFindings(handle.db, study.meetings.map((m) => m.documentId));
    const synthesis = await writeSynthesis(context, study.studyId, maxCitations);
    const report = await busiestReport(handle.db, study.meetings.map((m) => ({ meetingId: m.id, documentId: m.documentId })));
    const generationS = (performance.now() - g0) / 1000;
    fixtures.generated = { ...study.counts, marks, report, synthesis, seconds: generationS };
    console.log(
      `  ${generationS.toFixed(1)} s ; ${marks.marked} passages marqués (${marks.missing} introuvables) ; ` +
        `compte rendu mesuré : ${report.findings} enseignements ; synthèse : ${synthesis.citations} citations (plan : ${synthesis.planned}), ${synthesis.words} mots`,
    );
    const target = { context, studyId: study.studyId, meetingId: report.meetingId, origin: ORIGIN };
    results.push(...(await measureStudy("générée", target, { étude: null, synthèse: [synthesis.documentId], "compte rendu": [report.documentId] }, runs.big)));

    const floorOf = (m: Measured) => results.find((r) => r.reference && r.study === m.study && r.scope === m.scope)!;
    const rows: string[][] = [["étude", "mesure", "n", "p50 ms", "p99 ms", "max ms", "CPU p50", "1er octet p50", "Kio", "mém. +Mio", "boucle bloquée max ms", "p50/plancher", "CPU/plancher"]];
    rows.push([
      `Plancher d'une portée (étude entière, synthèse, compte rendu) : lire json + plain_text de ses documents dans SQLite, zipper les textes (fflate zipSync, niveau 6).`,
    ]);
    for (const m of results) {
      rows.push([
        m.study,
        m.reference ? m.name : `${m.name} (${m.scope})`,
        String(m.ms.n),
        fmt(m.ms.p50),
        fmt(m.ms.p99),
        fmt(m.ms.max),
        fmt(m.cpuMs.p50),
        fmt(m.firstByteMs.p50),
        fmt(m.bytes / 1024),
        fmt(m.memoryGrowthMb),
        fmt(m.loopBlockMs),
        m.reference ? "réf." : fmt(m.ms.p50 / floorOf(m).ms.p50),
        m.reference ? "réf." : fmt(m.cpuMs.p50 / floorOf(m).cpuMs.p50),
      ]);
    }
    printTable(rows);

    run.printLoad();
    run.save({
      options: { runs, quick, budgetMs, size, maxCitations, seed, only },
      fixtures,
      results: results.map((m) => ({ ...m, ratioToFloor: m.reference ? null : m.ms.p50 / floorOf(m).ms.p50, cpuRatioToFloor: m.reference ? null : m.cpuMs.p50 / floorOf(m).cpuMs.p50 })),
    });
  });
}

main().catch((error: Error) => {
  console.error(error);
  process.exitCode = 1;
});
