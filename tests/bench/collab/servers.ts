import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { copyFileSync, createWriteStream, existsSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { join, resolve } from "node:path";
import { sessionCookie } from "../../../app/models/session.server";
import { openDatabase } from "../../../db/client";
import { migrateToLatest } from "../../../db/migrate";
import { insertDocument } from "../../../db/queries/documents";
import { upsertMembership } from "../../../db/queries/memberships";
import { insertSession } from "../../../db/queries/sessions";
import { insertStudy } from "../../../db/queries/studies";
import { insertUser } from "../../../db/queries/users";
import { type Endpoint, LightClient } from "./clients";
import { sleep, within } from "./stats";

export type ServerKind = "terrain" | "reference";

const SESSION_SECRET = randomBytes(32).toString("hex");

/** Users, their session cookies and documents, created once per run in a template database. */
export interface Fixture {
  templatePath: string;
  cookies: string[];
  documentIds: string[];
  /** Opened once after each start to check the endpoint; no scenario touches it. */
  checkDocumentId: string;
}

export async function prepareFixture(dir: string, users: number, documents: number): Promise<Fixture> {
  const templatePath = join(dir, "template.sqlite");
  const handle = openDatabase(templatePath);
  await migrateToLatest(handle.db);
  const cookie = sessionCookie({ sessionSecret: SESSION_SECRET, production: true });
  const result = await handle.db.transaction().execute(async (trx) => {
    const study = await insertStudy(trx, { title: "Banc d'essai", summary: "", starts_on: null, ends_on: null });
    const cookies: string[] = [];
    for (let i = 0; i < users; i++) {
      const user = await insertUser(trx, {
        email: `banc-${i}@example.org`,
        name: `Client ${i}`,
        color: "#2563eb",
        password_hash: null,
      });
      await upsertMembership(trx, study.id, user.id, "membre");
      const sessionId = randomBytes(32).toString("base64url");
      await insertSession(trx, { id: sessionId, userId: user.id, expiresAt: new Date(Date.now() + 2 * 24 * 3600_000) });
      // Only `name=value` travels in a Cookie header; `Secure` just tells a browser not to send
      // it over plain http, which a headless client does not care about.
      cookies.push((await cookie.serialize(sessionId)).split(";")[0]!);
    }
    // Reports without a visit: a study has one synthesis at most (migration 0006), and the hub does
    // not care what kind of document it serves.
    const documentIds: string[] = [];
    for (let i = 0; i < documents; i++) {
      documentIds.push((await insertDocument(trx, { studyId: study.id, kind: "report" })).id);
    }
    const checkDocumentId = (await insertDocument(trx, { studyId: study.id, kind: "report" })).id;
    return { cookies, documentIds, checkDocumentId };
  });
  await handle.close();
  return { templatePath, ...result };
}

export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const probe = createServer();
    probe.once("error", fail);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => (typeof address === "object" && address ? done(address.port) : fail(new Error("port ?"))));
    });
  });
}

/** CPU ticks (user + system) and memory of a process, read from /proc. */
export function processStats(pid: number) {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? Number.NaN);
  return { cpuSeconds: (Number(fields[11]) + Number(fields[12])) / 100, rssMb: kb("VmRSS") / 1024, peakRssMb: kb("VmHWM") / 1024 };
}

export interface RunningServer {
  kind: ServerKind;
  pid: number;
  endpoint(client: number): Endpoint;
  stats(): ReturnType<typeof processStats>;
  /** Stops the process and waits for it to exit (SIGKILL after 10 s, or `stopTimeoutMs`). */
  stop(): Promise<void>;
  /** Terrain only: the database file, kept across a restart. */
  databasePath?: string;
}

function waitExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((done) => {
    const timer = setTimeout(() => done(false), ms);
    child.once("exit", () => {
      clearTimeout(timer);
      done(true);
    });
  });
}

async function waitHttp(url: string, child: ChildProcess, logPath: string) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`le serveur s'est arrêté (code ${child.exitCode}) ; journal : ${logPath}\n${tail(logPath)}`);
    }
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error(`le serveur ne répond pas sur ${url} après 60 s ; journal : ${logPath}`);
}

const tail = (path: string) => (existsSync(path) ? readFileSync(path, "utf8").split("\n").slice(-15).join("\n") : "");

async function startProcess(
  kind: ServerKind,
  args: string[],
  env: Record<string, string>,
  healthPath: string,
  logPath: string,
  stopTimeoutMs = 10_000,
) {
  const port = await freePort();
  const log = createWriteStream(logPath, { flags: "a" });
  const child = spawn(process.execPath, args, {
    cwd: resolve("."),
    env: { ...process.env, ...env, PORT: String(port), HOST: "127.0.0.1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  await waitHttp(`http://127.0.0.1:${port}${healthPath}`, child, logPath);
  return { port, child, pid: child.pid!, stop: async () => {
    child.kill("SIGTERM");
    if (!(await waitExit(child, stopTimeoutMs))) {
      console.warn(`\n${kind} ne s'est pas arrêté ${stopTimeoutMs / 1000} s après SIGTERM : SIGKILL (journal : ${logPath})`);
      child.kill("SIGKILL");
      await waitExit(child, 5_000);
    }
    log.end();
  } };
}

/** The reference: @y/websocket-server's own bin, in memory, no auth, no persistence. */
export async function startReference(logPath: string): Promise<RunningServer> {
  const bin = resolve("node_modules/@y/websocket-server/src/server.js");
  const { port, pid, stop } = await startProcess("reference", [bin], {}, "/", logPath);
  return {
    kind: "reference",
    pid,
    endpoint: () => ({ base: `ws://127.0.0.1:${port}/collab` }),
    stats: () => processStats(pid),
    stop,
  };
}

/**
 * Writes every dirty page of the machine to disk (`sync`) before Terrain starts. Each of Terrain's
 * commits waits for an fsync, and on ext4 an fsync also waits for other files' pending data: the
 * fixture just copied, the databases of the runs before. Unflushed, the first checkpoint wrote the
 * copy back inside one commit of the measured run (80–112 ms, docs/benchmarks.md run H); flushed,
 * the run starts from the disk state of a server that has been up for a while. The disk's own
 * stalls remain: `disk.ts` times them during the run.
 */
function flushDisks() {
  execFileSync("sync");
}

/**
 * Terrain as production runs it, on a copy of the fixture's database (or on `databasePath` to
 * restart on an existing one). Needs `npm run build` (server/app.ts imports build/index.js).
 */
export async function startTerrain(
  fixture: Fixture,
  databasePath: string,
  logPath: string,
  options: { copy: boolean; env?: Record<string, string>; nodeArgs?: string[]; stopTimeoutMs?: number },
): Promise<RunningServer> {
  if (!existsSync(resolve("build/index.js"))) {
    throw new Error("build/index.js manque : lancer `npm run build` avant le banc d'essai.");
  }
  if (options.copy) copyFileSync(fixture.templatePath, databasePath);
  flushDisks();
  const { port, pid, stop } = await startProcess(
    "terrain",
    [...(options.nodeArgs ?? []), "--import", "tsx", "server/index.ts"],
    {
      ...options.env,
      DATABASE_PATH: databasePath,
      SESSION_SECRET,
      TERRAIN_DEMO: "0",
      NODE_ENV: "production",
    },
    "/healthz",
    logPath,
    options.stopTimeoutMs,
  );
  const server: RunningServer = {
    kind: "terrain",
    pid,
    databasePath,
    endpoint: (client) => ({
      base: `ws://127.0.0.1:${port}/collab`,
      cookie: fixture.cookies[client % fixture.cookies.length],
    }),
    stats: () => processStats(pid),
    stop,
  };
  await checkCollabEndpoint(server, fixture.checkDocumentId).catch(async (error: Error) => {
    await stop();
    throw new Error(
      `Terrain n'accepte pas de connexion sur /collab/<documentId> (${error.message}). ` +
        "Le serveur de collaboration (server/collab/hub.ts) est-il encore le bouche-trou ? Journal : " +
        logPath,
    );
  });
  return server;
}

async function checkCollabEndpoint(server: RunningServer, documentId: string) {
  const client = new LightClient(server.endpoint(0), documentId, 0, { paragraph: false, awareness: false });
  try {
    await within(client.synced, 10_000, "synchro de contrôle");
  } finally {
    client.close();
  }
}
