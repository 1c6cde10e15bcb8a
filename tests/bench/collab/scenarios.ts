import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { gunzipSync } from "node:zlib";
import type { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import { addParagraph, LightClient, officialClient, type Receipt, tickAt, typeMarked, watchMarkers } from "./clients";
import { LoadWorker } from "./load";
import type { RunningServer } from "./servers";
import { median, nowUs, sleep, summarizeLatencies, within } from "./stats";
import type { ClientSpec, WorkerCommand } from "./worker";

export type Metrics = Record<string, number>;
export interface RepResult {
  metrics: Metrics;
  notes: string[];
}

export interface Timing {
  warmupMs: number;
  windowMs: number;
  /** How long after the window the measuring clients may wait for late updates. */
  drainMs: number;
}

export interface ScenarioContext {
  server: RunningServer;
  documentIds: string[];
  timing: Timing;
  /** Terrain: stops the server and starts it again on the same database. */
  restart(): Promise<RunningServer>;
}

interface Probe {
  id: number;
  doc: Y.Doc;
  provider: WebsocketProvider;
  receipts: Receipt[];
  closeCodes: number[];
}

const inWindow = (receipts: Receipt[], self: number, startUs: number, endUs: number) =>
  receipts.filter((r) => r.sender !== self && r.sentUs >= startUs && r.sentUs <= endUs);

const countCodes = (codes: Record<string, number>, code: number | string) => {
  codes[code] = (codes[code] ?? 0) + 1;
};

/**
 * Everyone types `rate` marked chunks a second. With one document, `probes` official clients
 * measure the latency of every chunk that reaches them and light clients (in worker processes)
 * make up the load; with several documents every client is a measuring light client.
 */
export async function editingRun(
  ctx: ScenarioContext,
  options: { documents: number; clientsPerDocument: number; rate: number; probes: number },
): Promise<RepResult> {
  const { server, timing } = ctx;
  const notes: string[] = [];
  const documentIds = ctx.documentIds.slice(0, options.documents);
  const probes: Probe[] = [];
  const probeCount = options.documents === 1 ? Math.min(options.probes, options.clientsPerDocument) : 0;
  const specs: ClientSpec[] = [];
  for (const [d, documentId] of documentIds.entries()) {
    for (let c = d === 0 ? probeCount : 0; c < options.clientsPerDocument; c++) {
      const id = d * options.clientsPerDocument + c;
      specs.push({ id, documentId, endpoint: server.endpoint(id), measure: probeCount === 0 });
    }
  }
  const workerCount = specs.length === 0 ? 0 : Math.min(3, Math.ceil(specs.length / 70));
  const workers = Array.from({ length: workerCount }, () => new LoadWorker());
  const closeCodes: Record<string, number> = {};
  try {
    for (let id = 0; id < probeCount; id++) {
      const doc = new Y.Doc();
      const probe: Probe = { id, doc, provider: officialClient(server.endpoint(id), documentIds[0]!, doc), receipts: [], closeCodes: [] };
      watchMarkers(doc, (r) => probe.receipts.push(r));
      probe.provider.on("connection-close", (event) => {
        if (event) probe.closeCodes.push(event.code);
      });
      probes.push(probe);
    }
    await within(
      Promise.all(
        probes.map((p) => new Promise<void>((done) => (p.provider.synced ? done() : p.provider.on("sync", (s: boolean) => s && done())))),
      ),
      30_000,
      "synchro des sondes",
    );
    const probeTexts = probes.map((p) => addParagraph(p.doc));

    // One document: clients round-robin over the workers; several: a document's clients share
    // a worker, which then knows how many updates each of them should receive.
    const perWorker: ClientSpec[][] = workers.map(() => []);
    specs.forEach((spec, i) => {
      const slot = options.documents === 1 ? i : documentIds.indexOf(spec.documentId);
      perWorker[slot % workerCount]!.push(spec);
    });
    workers.forEach((w, i) => w.send({ cmd: "connect", clients: perWorker[i]! }));
    const failures = (await Promise.all(workers.map((w) => w.next("connected")))).flatMap((r) => r.failures);
    if (failures.length) notes.push(`${failures.length} connexions échouées (${failures[0]})`);

    const startUs = nowUs() + 300_000;
    const windowStartUs = startUs + timing.warmupMs * 1000;
    const windowEndUs = windowStartUs + timing.windowMs * 1000;
    for (const w of workers) w.send({ cmd: "type", startUs, windowStartUs, windowEndUs, rate: options.rate });
    const sent = new Map<number, number>();
    const probeSeq = probes.map(() => 0);
    const probeTyping = probes.map((p, i) =>
      tickAt(options.rate, startUs, windowEndUs, () => {
        const sentUs = typeMarked(probeTexts[i]!, p.id, ++probeSeq[i]!);
        if (sentUs >= windowStartUs && sentUs <= windowEndUs) sent.set(p.id, (sent.get(p.id) ?? 0) + 1);
      }),
    );
    await sleep((windowStartUs - nowUs()) / 1000);
    const before = server.stats();
    const mainCpu = process.cpuUsage();
    const typed = await Promise.all(workers.map((w) => w.next("typed")));
    await Promise.all(probeTyping);
    const after = server.stats();
    const mainCpuUs = process.cpuUsage(mainCpu);
    for (const t of typed) for (const [id, n] of t.sent) sent.set(id, n);
    const windowS = timing.windowMs / 1000;
    const totalSent = [...sent.values()].reduce((a, b) => a + b, 0);

    // Probes wait for every in-window chunk from the others, or the drain deadline.
    const deadlineUs = windowEndUs + timing.drainMs * 1000;
    const probeExpected = probes.reduce((sum, p) => sum + totalSent - (sent.get(p.id) ?? 0), 0);
    const probeReceived = () => probes.reduce((sum, p) => sum + inWindow(p.receipts, p.id, windowStartUs, windowEndUs).length, 0);
    while (probeReceived() < probeExpected && nowUs() < deadlineUs) await sleep(50);
    const drained = probeCount === 0 ? await Promise.all(workers.map(async (w) => {
      w.send({ cmd: "drain", deadlineUs });
      return w.next("drained");
    })) : [];
    const latencies = probes
      .flatMap((p) => inWindow(p.receipts, p.id, windowStartUs, windowEndUs).map((r) => r.receivedUs - r.sentUs))
      .concat(drained.flatMap((d) => d.latenciesUs));
    const expected = probeExpected + drained.reduce((sum, d) => sum + d.expected, 0);
    const summary = summarizeLatencies(latencies, expected);
    const lateTicks = typed.reduce((sum, t) => sum + t.lateTicks, 0);
    if (lateTicks) notes.push(`${lateTicks} frappes en retard d'un intervalle (générateur saturé)`);
    return {
      notes,
      metrics: {
        p50Ms: summary.p50Ms,
        p95Ms: summary.p95Ms,
        p99Ms: summary.p99Ms,
        deliveredPct: expected ? (100 * summary.received) / expected : Number.NaN,
        updatesPerS: totalSent / windowS,
        serverCpuPct: (100 * (after.cpuSeconds - before.cpuSeconds)) / windowS,
        serverRssMb: after.rssMb,
        serverPeakRssMb: after.peakRssMb,
        loadgenCpuPct:
          (100 * (typed.reduce((sum, t) => sum + t.cpuUs, 0) + mainCpuUs.user + mainCpuUs.system)) / 1e6 / windowS,
      },
    };
  } finally {
    for (const p of probes) {
      for (const code of p.closeCodes) countCodes(closeCodes, code);
      p.provider.destroy();
      p.doc.destroy();
    }
    for (const w of workers) {
      const codes = await w.close().catch(() => ({}));
      for (const [code, n] of Object.entries(codes)) closeCodes[code] = (closeCodes[code] ?? 0) + n;
      w.kill();
    }
    if (Object.keys(closeCodes).length) notes.push(`fermetures par le serveur : ${JSON.stringify(closeCodes)}`);
  }
}

/** Opens one document: sync, one typed chunk, a round trip, close. */
async function openOnce(server: RunningServer, documentId: string, id: number) {
  const client = new LightClient(server.endpoint(id), documentId, id);
  try {
    await within(client.synced, 30_000, `document ${documentId}`);
    client.type();
    await within(client.roundTrip(), 30_000, `aller-retour ${documentId}`);
  } finally {
    client.close();
    await within(client.closed, 5_000, "fermeture").catch(() => {});
  }
}

/**
 * Opens and closes `count` documents, `concurrency` at a time, and compares the server's RSS
 * after a settle with its RSS before (itself taken after a 10-document warm-up, so lazily
 * loaded code is not counted as a leak).
 */
export async function openCloseRun(ctx: ScenarioContext, count: number, settleMs: number): Promise<RepResult> {
  const { server } = ctx;
  const warmup = ctx.documentIds.slice(count, count + 10);
  for (const [i, documentId] of warmup.entries()) await openOnce(server, documentId, i);
  await sleep(settleMs);
  const before = server.stats();
  const documents = ctx.documentIds.slice(0, count);
  const concurrency = 25;
  const startedAt = performance.now();
  let next = 0;
  const failures: string[] = [];
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < documents.length) {
        const i = next++;
        await openOnce(server, documents[i]!, i).catch((error: Error) => failures.push(error.message));
      }
    }),
  );
  const elapsedS = (performance.now() - startedAt) / 1000;
  const atEnd = server.stats();
  // Unloading 1,000 documents (flush, derive, compact each) can outlast a short settle: RSS is
  // read after `settleMs` and again after three times as long; the growth uses the last.
  await sleep(settleMs);
  const settled = server.stats();
  await sleep(2 * settleMs);
  const after = server.stats();
  return {
    notes: failures.length ? [`${failures.length} ouvertures échouées (${failures[0]})`] : [],
    metrics: {
      opensPerS: count / elapsedS,
      rssBeforeMb: before.rssMb,
      rssOpenMb: atEnd.rssMb,
      rssSettledMb: settled.rssMb,
      rssAfterMb: after.rssMb,
      rssGrowthPct: (100 * (after.rssMb - before.rssMb)) / before.rssMb,
      serverPeakRssMb: after.peakRssMb,
    },
  };
}

export interface Trace {
  endContent: string;
  patches: [number, number, string][];
}

export function loadTrace(path: string): Trace {
  const raw = JSON.parse(gunzipSync(readFileSync(path)).toString("utf8")) as {
    startContent: string;
    endContent: string;
    txns: { patches: [number, number, string][] }[];
  };
  const patches = raw.txns.flatMap((t) => t.patches);
  if (raw.startContent) patches.unshift([0, 0, raw.startContent]);
  return { endContent: raw.endContent, patches };
}

const paragraphText = (doc: Y.Doc) => {
  const paragraph = doc.getXmlFragment("default").get(0);
  const text = paragraph instanceof Y.XmlElement ? paragraph.get(0) : undefined;
  return text instanceof Y.XmlText ? text.toString() : "";
};

/**
 * Replays the trace into each document through the server (one client, `batch` keystrokes per
 * update), then times a fresh client's full sync: for Terrain after a restart, so the document
 * comes from SQLite; for the in-memory reference from its memory. Compared with
 * `Y.applyUpdate` of the same state alone in a fresh process: first run (cold, like the first
 * document after a restart) and median of six (like the later ones).
 */
export async function traceRun(ctx: ScenarioContext, trace: Trace, batch: number, documents: number): Promise<RepResult> {
  const notes: string[] = [];
  const documentIds = ctx.documentIds.slice(0, documents);
  const replayMs: number[] = [];
  const durableMs: number[] = [];
  let state: Uint8Array | null = null;
  for (const [i, documentId] of documentIds.entries()) {
    const client = new LightClient(ctx.server.endpoint(i), documentId, i, { awareness: false });
    try {
      await within(client.synced, 30_000, "synchro du rejeu");
      const startedAt = performance.now();
      for (let k = 0; k < trace.patches.length; k += batch) {
        client.doc.transact(() => {
          for (const [pos, del, ins] of trace.patches.slice(k, k + batch)) {
            if (del) client.text.delete(pos, del);
            if (ins) client.text.insert(pos, ins);
          }
        });
        // Let the socket drain now and then rather than queueing the whole trace in memory.
        if (client.ws.bufferedAmount > 1 << 20) await sleep(1);
      }
      if (client.text.toString() !== trace.endContent) throw new Error("le rejeu local ne donne pas endContent");
      await within(client.roundTrip(), 300_000, "fin du rejeu");
      replayMs.push(performance.now() - startedAt);
      if (ctx.server.kind === "terrain") {
        await within(client.durable(), 300_000, "accusé de stockage");
        durableMs.push(performance.now() - startedAt);
      }
      state ??= Y.encodeStateAsUpdate(client.doc);
    } finally {
      client.close();
    }
  }
  const server = ctx.server.kind === "terrain" ? await ctx.restart() : ctx.server;
  const loadMs: number[] = [];
  for (const [i, documentId] of documentIds.entries()) {
    const startedUs = nowUs();
    const reader = new LightClient(server.endpoint(i), documentId, 1000 + i, { measure: true, paragraph: false, awareness: false });
    try {
      await within(reader.synced, 120_000, "chargement");
      loadMs.push((reader.syncedAtUs - startedUs) / 1000);
      if (paragraphText(reader.doc) !== trace.endContent) notes.push(`document ${i} : contenu relu différent de endContent`);
    } finally {
      reader.close();
    }
  }
  notes.push(`synchros : ${loadMs.map((ms) => ms.toFixed(1)).join(", ")} ms`);
  const inFreshProcess = async (command: WorkerCommand) => {
    const worker = new LoadWorker();
    worker.send(command);
    return worker.next("applied").then((r) => r.ms).finally(() => worker.kill());
  };
  const applyMs = await inFreshProcess({ cmd: "apply", state: Buffer.from(state!).toString("base64") });
  // Terrain's loader alone, on the server's database (WAL lets a second reader in).
  const storeMs = server.databasePath
    ? await inFreshProcess({ cmd: "load", databasePath: server.databasePath, documentIds })
    : null;
  const load = median(loadMs);
  const apply = median(applyMs);
  return {
    notes,
    metrics: {
      replayMs: median(replayMs),
      ...(durableMs.length ? { durableMs: median(durableMs) } : {}),
      loadFirstMs: loadMs[0]!,
      applyFirstMs: applyMs[0]!,
      loadMs: load,
      applyUpdateMs: apply,
      syncVsApply: load / apply,
      ...(storeMs ? { storeLoadFirstMs: storeMs[0]!, storeLoadMs: median(storeMs), storeVsApply: median(storeMs) / apply } : {}),
      stateKb: state!.byteLength / 1024,
      serverPeakRssMb: server.stats().peakRssMb,
    },
  };
}
