/**
 * A load-generator process (forked by run.ts): drives light clients so the probes' process and
 * the server each keep their own core time. Talks to its parent over the IPC channel only.
 */
import { performance } from "node:perf_hooks";
import * as Y from "yjs";
import { openDatabase } from "../../../db/client";
import { loadYDoc } from "../../../server/collab/persistence";
import { LightClient, tickAt, type Endpoint, type Receipt } from "./clients";
import { nowUs, sleep, within } from "./stats";

export interface ClientSpec {
  id: number;
  documentId: string;
  endpoint: Endpoint;
  measure: boolean;
}

export type WorkerCommand =
  | { cmd: "connect"; clients: ClientSpec[] }
  | { cmd: "type"; startUs: number; windowStartUs: number; windowEndUs: number; rate: number }
  | { cmd: "drain"; deadlineUs: number }
  | { cmd: "apply"; state: string }
  | { cmd: "load"; databasePath: string; documentIds: string[] }
  | { cmd: "close" };

export type WorkerEvent =
  | { ev: "connected"; failures: string[] }
  | { ev: "typed"; sent: [number, number][]; cpuUs: number; windowUs: number; lateTicks: number }
  | { ev: "drained"; latenciesUs: number[]; expected: number }
  | { ev: "applied"; ms: number[] }
  | { ev: "closed"; closeCodes: Record<string, number> }
  | { ev: "error"; message: string };

const reply = (event: WorkerEvent) => process.send!(event);

let clients: { spec: ClientSpec; client: LightClient; receipts: Receipt[] }[] = [];
let sentInWindow = new Map<number, number>();
let windowStartUs = 0;
let windowEndUs = 0;

async function connect(specs: ClientSpec[]) {
  const failures: string[] = [];
  // A ramp of 10 connections per 50 ms: a burst of hundreds of handshakes at once would
  // measure the accept queue rather than steady editing.
  for (let i = 0; i < specs.length; i += 10) {
    const batch = specs.slice(i, i + 10).map((spec) => {
      const receipts: Receipt[] = [];
      const client = new LightClient(spec.endpoint, spec.documentId, spec.id, {
        measure: spec.measure,
        onReceipt: (receipt) => receipts.push(receipt),
      });
      clients.push({ spec, client, receipts });
      return client;
    });
    await Promise.all(
      batch.map((client) => within(client.synced, 30_000, `client ${client.id}`).catch((e: Error) => failures.push(e.message))),
    );
    await sleep(50);
  }
  reply({ ev: "connected", failures });
}

function type(startUs: number, windowStart: number, windowEnd: number, rate: number) {
  windowStartUs = windowStart;
  windowEndUs = windowEnd;
  sentInWindow = new Map();
  let cpuAtStart: NodeJS.CpuUsage | null = null;
  setTimeout(() => (cpuAtStart = process.cpuUsage()), Math.max(0, (windowStart - nowUs()) / 1000));
  const running = clients.map(({ client }) =>
    tickAt(rate, startUs, windowEnd, () => {
      if (client.closeInfo !== null) return;
      const sentUs = client.type();
      if (sentUs >= windowStart && sentUs <= windowEnd) sentInWindow.set(client.id, (sentInWindow.get(client.id) ?? 0) + 1);
    }),
  );
  void Promise.all(running).then((late) => {
    const cpu = process.cpuUsage(cpuAtStart ?? undefined);
    reply({
      ev: "typed",
      sent: [...sentInWindow],
      cpuUs: cpu.user + cpu.system,
      windowUs: windowEnd - windowStart,
      lateTicks: late.reduce((a, b) => a + b, 0),
    });
  });
}

/** Measuring clients only: waits (bounded) for every in-window update of their peers. */
async function drain(deadlineUs: number) {
  const measuring = clients.filter((c) => c.spec.measure);
  const expectedOf = (c: (typeof clients)[number]) =>
    clients
      .filter((o) => o !== c && o.spec.documentId === c.spec.documentId)
      .reduce((sum, o) => sum + (sentInWindow.get(o.spec.id) ?? 0), 0);
  const inWindow = (c: (typeof clients)[number]) =>
    c.receipts.filter((r) => r.sender !== c.spec.id && r.sentUs >= windowStartUs && r.sentUs <= windowEndUs);
  const expected = measuring.reduce((sum, c) => sum + expectedOf(c), 0);
  while (nowUs() < deadlineUs && measuring.reduce((sum, c) => sum + inWindow(c).length, 0) < expected) {
    await sleep(100);
  }
  const latenciesUs = measuring.flatMap((c) => inWindow(c).map((r) => r.receivedUs - r.sentUs));
  reply({ ev: "drained", latenciesUs, expected });
}

/**
 * `Y.applyUpdate` of a state into a fresh Y.Doc, six times in this fresh process: the first run
 * is as cold as a server that just restarted, the later ones JIT-warm.
 */
function timeApply(state: Uint8Array): number[] {
  return Array.from({ length: 6 }, () => {
    const startedAt = performance.now();
    Y.applyUpdate(new Y.Doc(), state);
    return performance.now() - startedAt;
  });
}

/**
 * Terrain's own loader (`loadYDoc`: read the rows, replay them) on its database, six loads
 * cycling over the documents in this fresh process, timed like `timeApply`.
 */
async function timeLoad(databasePath: string, documentIds: string[]): Promise<number[]> {
  const handle = openDatabase(databasePath);
  try {
    const ms: number[] = [];
    for (let k = 0; k < 6; k++) {
      const startedAt = performance.now();
      (await loadYDoc(handle.db, documentIds[k % documentIds.length]!)).doc.destroy();
      ms.push(performance.now() - startedAt);
    }
    return ms;
  } finally {
    await handle.close();
  }
}

async function close() {
  const closeCodes: Record<string, number> = {};
  for (const { client } of clients) {
    if (client.closeInfo) closeCodes[client.closeInfo.code] = (closeCodes[client.closeInfo.code] ?? 0) + 1;
    client.close();
  }
  await Promise.race([Promise.all(clients.map((c) => c.client.closed)), sleep(3000)]);
  clients = [];
  reply({ ev: "closed", closeCodes });
  process.disconnect();
}

process.on("message", (command: WorkerCommand) => {
  const run = async () => {
    if (command.cmd === "connect") await connect(command.clients);
    else if (command.cmd === "type") type(command.startUs, command.windowStartUs, command.windowEndUs, command.rate);
    else if (command.cmd === "drain") await drain(command.deadlineUs);
    else if (command.cmd === "apply") reply({ ev: "applied", ms: timeApply(Buffer.from(command.state, "base64")) });
    else if (command.cmd === "load") reply({ ev: "applied", ms: await timeLoad(command.databasePath, command.documentIds) });
    else await close();
  };
  run().catch((error: Error) => reply({ ev: "error", message: error.stack ?? error.message }));
});
// A parent that dies must not leave this process driving sockets forever.
process.on("disconnect", () => setTimeout(() => process.exit(0), 500).unref());
