/**
 * `npm run bench:findings` — the read side of the findings (browser, matrix, co-occurrence,
 * search) on a generated study, and the server's extraction per update on a long report.
 * Flags: --runs=N (measured runs per query, default 200), --warmup=N (default 20),
 * --budget-s=N (a query stops after N s of measuring, at least 20 runs; default 30),
 * --updates=N (default 200), --findings=N (default 50000), --reports=N (default 300),
 * --seed=N, --keep (keep the database), --only=a,b (only the queries whose names start with one of
 * these, e.g. --only=matrice,cooc; the reference is always measured), --no-extraction. See docs/benchmarks.md.
 */
import type { AppLoadContext } from "@remix-run/node";
import { loadavg } from "node:os";
import { loadFindingsPage, loadVocabulary } from "../../../app/models/findings-read.server";
import { loadCellFindings, loadCooccurrences, loadMatrix, matrixCellCount } from "../../../app/models/matrix.server";
import { searchStudy } from "../../../app/models/search.server";
import type { DB } from "../../../db/client";
import { nowIso } from "../../../db/queries/executor";
import { countFindings, type FindingFilters } from "../../../db/queries/findings-browser";
import { updateFinding } from "../../../db/queries/findings";
import { fmt, parseArgs, printTable } from "../shared/report";
import { runOnScratchDatabase } from "../shared/scratch-run";
import { distribution, type Distribution, stopwatch } from "../shared/stats";
import { extractionRun } from "./extraction";
import { generateStudy, type GeneratedStudy } from "./generate";
import { seededRandom } from "./text";

const args = parseArgs();
const runs = Number(args.get("runs") ?? 200);
const warmup = Number(args.get("warmup") ?? 20);
const budgetMs = Number(args.get("budget-s") ?? 30) * 1000;
const size = { reports: Number(args.get("reports") ?? 300), findings: Number(args.get("findings") ?? 50_000) };
const extraction = { words: 10_000, findings: 200, updates: Number(args.get("updates") ?? 200), warmup: 20 };
const seed = Number(args.get("seed") ?? 4);
const only = args.get("only")?.split(",").filter(Boolean) ?? [];
const withExtraction = !args.has("no-extraction");
const QUERY_TARGET_MS = 50;
const EXTRACTION_TARGET_MS = 5;

interface Measure {
  name: string;
  /** What the figure is: which functions, called how. */
  what: string;
  run: () => Promise<unknown>;
  /** Untimed, before each run (a write that makes the next run recompute). */
  before?: () => Promise<unknown>;
  /** A reference, not a page: no target. */
  reference?: boolean;
  /** What the last run returned, in a few words (a query that finds nothing is fast for nothing). */
  size: (result: never) => string;
}

/** Types `size` against what `run` returns. */
const measure = <T>(m: Omit<Measure, "run" | "size"> & { run: () => Promise<T>; size: (result: T) => string }): Measure => m as Measure;
const listed = (r: { total: number; findings: unknown[] }) => `${r.total} trouvés, ${r.findings.length} montrés`;
const found = (r: { reports: unknown[]; findings: unknown[] }) => `${r.reports.length} rapports + ${r.findings.length} enseignements`;

/** Wall and CPU ms per run; a query of seconds stops at the time budget (at least 20 runs). */
async function time(m: Measure): Promise<{ ms: Distribution; cpuMs: Distribution; result: string }> {
  let result: unknown;
  const wall: number[] = [];
  const cpu: number[] = [];
  const startedAt = performance.now();
  for (let i = 0; i < warmup + runs; i++) {
    if (wall.length >= Math.min(20, runs) && performance.now() - startedAt > budgetMs) break;
    await m.before?.();
    const stop = stopwatch();
    result = await m.run();
    const { ms, cpuMs } = stop();
    if (i < warmup) continue;
    wall.push(ms);
    cpu.push(cpuMs);
  }
  return { ms: distribution(wall), cpuMs: distribution(cpu), result: m.size(result as never) };
}

async function queryMeasures(db: DB, study: GeneratedStudy): Promise<Measure[]> {
  // The read models only use `context.db`: the same calls as the pages' loaders, without HTTP.
  const context = { db } as unknown as AppLoadContext;
  const { studyId } = study;
  // Every findings page loads the vocabulary first: measured on its own, then given to the rest.
  const vocabulary = await loadVocabulary(context, studyId);
  const page = (filters: FindingFilters) => () => loadFindingsPage(context, studyId, filters, vocabulary, 1);
  // A finding edited (its comment, as a member would in the report): the triggers of migration
  // 0003 bump the study's findings version, so the next matrix or co-occurrence view recomputes.
  let edits = 0;
  const editFinding = () =>
    updateFinding(
      db,
      study.sample.documentId,
      {
        id: study.sample.id,
        kind: study.sample.kind,
        audience: null,
        comment: `Relu ${++edits}`,
        quote: "Les habitants portent la coopération entre structures depuis trois ans.",
        orphanedAt: null,
        factors: study.sample.factors,
        dynamics: study.sample.dynamics,
        updatedAt: nowIso(),
        updatedBy: study.userIds[0]!,
      },
      false,
    );
  const [factorA, factorB] = study.factors;
  const matrix = (r: { total: number; columns: unknown[] }) => `${r.total} enseignements, ${r.columns.length} colonnes`;
  const pairs = (r: { factors: unknown[]; max: number }) => `${r.factors.length} facteurs, paire max ${r.max}`;
  return [
    measure({
      name: "plancher : countFindings",
      what: "countFindings(db, study) sans filtre = select count(*) from findings where study_id = ?",
      reference: true,
      run: () => countFindings(db, studyId),
      size: (n) => `${n}`,
    }),
    measure({
      name: "vocabulaire (chaque page)",
      what: "loadVocabulary : facteurs, natures, publics, dynamiques, visites et auteurs ayant des enseignements",
      run: () => loadVocabulary(context, studyId),
      size: (v) => `${v.factors.length} facteurs, ${v.dynamics.length} dynamiques, ${v.meetings.length} visites, ${v.authors.length} auteurs`,
    }),
    measure({
      name: "page liste complète sans filtre",
      what: "ce que fait le loader : loadVocabulary puis loadFindingsPage({}, page 1)",
      run: async () => loadFindingsPage(context, studyId, {}, await loadVocabulary(context, studyId), 1),
      size: listed,
    }),
    measure({ name: "liste p.1 sans filtre", what: "loadFindingsPage({}, page 1) : 1 compte + 50 lignes décrites", run: page({}), size: listed }),
    measure({
      name: "liste p.1 facteur + dynamique",
      what: "loadFindingsPage : 2 comptes + 50 lignes",
      run: page({ factorIds: [factorA!.id], dynamicId: study.dynamics[1]!.id }),
      size: listed,
    }),
    measure({
      name: "liste p.1 proposition/public/type",
      what: "nature proposition + public pouvoirs-publics + type de dynamique",
      run: page({ kind: "proposition", audience: "pouvoirs-publics", dynamicTypeId: study.dynamics[0]!.typeId }),
      size: listed,
    }),
    measure({
      name: "liste p.1 famille/auteur/non orph.",
      what: "famille + auteur + non orphelins",
      run: page({ familyId: factorB!.familyId, authorId: study.userIds[2]!, orphaned: false }),
      size: listed,
    }),
    measure({ name: "liste p.1 visite + orphelins", what: "visite + orphelins", run: page({ meetingId: study.meetings[0]!.id, orphaned: true }), size: listed }),
    measure({
      name: "matrice dynamiques (cache)",
      what: "loadMatrix(dynamic), comptes en cache (version inchangée)",
      run: () => loadMatrix(context, studyId, "dynamic", vocabulary),
      size: matrix,
    }),
    measure({
      name: "matrice dynamiques (recalcul)",
      what: "loadMatrix(dynamic) après la modification d'un enseignement (version changée : comptes recalculés)",
      before: editFinding,
      run: () => loadMatrix(context, studyId, "dynamic", vocabulary),
      size: matrix,
    }),
    measure({
      name: "matrice types (recalcul)",
      what: "loadMatrix(type) après une modification",
      before: editFinding,
      run: () => loadMatrix(context, studyId, "type", vocabulary),
      size: matrix,
    }),
    measure({
      name: "cellule de la matrice",
      what: "ce que charge le clic sur une cellule : loadMatrix (compte de la cellule) + loadCellFindings (50 citations)",
      run: async () => {
        const loaded = await loadMatrix(context, studyId, "dynamic", vocabulary);
        const total = matrixCellCount(loaded, factorA!.id, study.dynamics[0]!.id);
        return loadCellFindings(context, studyId, { factorIds: [factorA!.id], dynamicId: study.dynamics[0]!.id }, total, vocabulary);
      },
      size: listed,
    }),
    measure({ name: "cooccurrences (cache)", what: "loadCooccurrences, en cache", run: () => loadCooccurrences(context, studyId, vocabulary), size: pairs }),
    measure({
      name: "cooccurrences (recalcul)",
      what: "loadCooccurrences après une modification",
      before: editFinding,
      run: () => loadCooccurrences(context, studyId, vocabulary),
      size: pairs,
    }),
    ...[
      ["recherche « coopération »", "coopération ", "mot courant (rapports + enseignements, 30 + 30 extraits)"],
      ["recherche « méthanisation »", "méthanisation ", "mot rare"],
      ["recherche « agri » (préfixe)", "agri", "préfixe en cours de frappe (agri*)"],
      ["recherche « coeur de » (œ)", "coeur de", "deux mots, œ replié, préfixe sur le dernier"],
    ].map(([name, q, what]) => measure({ name: name!, what: `searchStudy : ${what}`, run: () => searchStudy(context, studyId, q!), size: found })),
  ];
}

async function main() {
  await runOnScratchDatabase("findings", args.has("keep"), async ({ handle, dir, run }) => {
    console.log(`Génération : ${size.reports} rapports, ${size.findings} enseignements dans ${dir}…`);
    const random = seededRandom(seed);
    const g0 = performance.now();
    const study = await generateStudy(handle.db, random, size);
    const generationS = (performance.now() - g0) / 1000;
    console.log(`  ${generationS.toFixed(1)} s ; ${JSON.stringify(study.counts)}`);

    const queries: { name: string; what: string; result: string; reference: boolean; load1m: number; ms: Distribution; cpuMs: Distribution }[] = [];
    const selected = (await queryMeasures(handle.db, study)).filter((m) => m.reference || only.length === 0 || only.some((o) => m.name.startsWith(o)));
    for (const m of selected) {
      const load1m = loadavg()[0]!;
      const { ms, cpuMs, result } = await time(m);
      queries.push({ name: m.name, what: m.what, result, reference: m.reference ?? false, load1m, ms, cpuMs });
      console.log(`  ${m.name} : p50 ${fmt(ms.p50)} ms, p99 ${fmt(ms.p99)} ms, CPU p50 ${fmt(cpuMs.p50)} ms (n=${ms.n}, charge ${load1m.toFixed(1)}) → ${result}`);
    }

    const extractionLoad = loadavg()[0]!;
    if (withExtraction) {
      console.log(`Extraction : rapport de ~${extraction.words} mots, ${extraction.findings} enseignements, ${extraction.updates} mises à jour…`);
    }
    const extracted = withExtraction ? await extractionRun(handle.db, study, random, extraction) : null;

    const floor = queries.find((q) => q.reference)!.ms;
    const rows: string[][] = [["mesure", "n", "p50 ms", "p99 ms", "max ms", "CPU p50", "p50/réf", "cible"]];
    rows.push([`Requêtes (${size.findings} enseignements, ${size.reports} rapports ; réf. = plancher countFindings)`]);
    for (const q of queries) {
      const verdict = q.reference ? "réf." : q.ms.p99 < QUERY_TARGET_MS ? "OK" : "NON";
      rows.push([q.name, String(q.ms.n), fmt(q.ms.p50), fmt(q.ms.p99), fmt(q.ms.max), fmt(q.cpuMs.p50), fmt(q.ms.p50 / floor.p50), verdict]);
    }
    if (extracted) {
      const reference = extracted.steps.encodeStateAsUpdate!;
      rows.push([
        `Extraction par mise à jour (${extracted.words} mots, ${extracted.paragraphs} paragraphes, ${extracted.findings} enseignements, état ${Math.round(extracted.stateBytes / 1024)} Ko ; réf. = Y.encodeStateAsUpdate)`,
      ]);
      const extractionSteps: [string, string, number | null][] = [
        ["encodeStateAsUpdate", "réf. : Y.encodeStateAsUpdate", null],
        ["fragmentToJSON", "réf. : XmlFragment.toJSON()", null],
        ["extraction", "extraction (texte + passages + empreinte)", EXTRACTION_TARGET_MS],
        ["plainTextWithFindings", "  dont plainTextWithFindings", null],
        ["fingerprint", "  dont findingsFingerprint", null],
        ["snapshot", "docSnapshot (copie Y.Doc → JSON Tiptap)", null],
        ["writeDerivedOutside", "writeDerived, frappe hors enseignement", null],
        ["writeDerivedInside", "writeDerived, frappe dans un enseignement", null],
        ["derive", "dérivation complète (snapshot + writeDerived)", null],
      ];
      for (const [key, label, target] of extractionSteps) {
        const ms = extracted.steps[key]!;
        const cpu = extracted.cpuSteps[key];
        rows.push([label, String(ms.n), fmt(ms.p50), fmt(ms.p99), fmt(ms.max), fmt(cpu?.p50), fmt(ms.p50 / reference.p50), target === null ? "" : ms.p99 < target ? "OK" : "NON"]);
      }
    }
    printTable(rows);

    const worstQuery = queries.filter((q) => !q.reference).reduce((a, b) => (b.ms.p99 > a.ms.p99 ? b : a));
    const targets: { target: string; measured: string; pass: boolean }[] = [
      {
        target: `chaque requête : p99 < ${QUERY_TARGET_MS} ms`,
        measured: `pire p99 : ${worstQuery.name} ${fmt(worstQuery.ms.p99)} ms`,
        pass: queries.every((q) => q.reference || q.ms.p99 < QUERY_TARGET_MS),
      },
    ];
    if (extracted) {
      targets.push({
        target: `extraction < ${EXTRACTION_TARGET_MS} ms par mise à jour (p99)`,
        measured:
          `extraction p99 ${fmt(extracted.steps.extraction!.p99)} ms (CPU p99 ${fmt(extracted.cpuSteps.extraction!.p99)} ms) ; ` +
          `dérivation complète p50 ${fmt(extracted.steps.derive!.p50)} ms, p99 ${fmt(extracted.steps.derive!.p99)} ms`,
        pass: extracted.steps.extraction!.p99 < EXTRACTION_TARGET_MS,
      });
    }
    console.log("\nCibles :");
    for (const t of targets) console.log(`  ${t.pass ? "OK" : "NON"}  ${t.target} : ${t.measured}`);
    run.printLoad();
    run.save({
      options: { runs, warmup, size, extraction: withExtraction && extraction, seed, only },
      generation: { seconds: generationS, ...study.counts },
      targets,
      queries,
      extraction: extracted && { ...extracted, machineLoad1m: extractionLoad },
    });
  });
}

main().catch((error: Error) => {
  console.error(error);
  process.exitCode = 1;
});
