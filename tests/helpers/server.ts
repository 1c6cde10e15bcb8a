import { copyFileSync } from "node:fs";
import { resolve } from "node:path";
import { afterAll, beforeAll } from "vitest";
import { startServer, type RunningServer } from "../../server/app";
import { readConfig } from "../../server/config";
import { DEMO_TEMPLATE, EMPTY_TEMPLATE, TMP_DIR } from "../setup/paths";

export const TEST_SESSION_SECRET = "test-secret-test-secret-test-secret";

export interface TestServer extends RunningServer {
  databasePath: string;
}

/** A copy of a migrated template database, unique to the caller. */
export function copyTemplate(demo = false): string {
  const path = resolve(TMP_DIR, `db-${process.pid}-${crypto.randomUUID()}.sqlite`);
  copyFileSync(demo ? DEMO_TEMPLATE : EMPTY_TEMPLATE, path);
  return path;
}

/** The real server on an ephemeral port, on its own copy of a template database. */
export async function startTestServer(
  options: { demo?: boolean; env?: Record<string, string | undefined>; /** reopen this database (a restart) */ databasePath?: string } = {},
): Promise<TestServer> {
  const databasePath = options.databasePath ?? copyTemplate(options.demo);
  const config = readConfig({
    NODE_ENV: "test",
    PORT: "0",
    DATABASE_PATH: databasePath,
    TERRAIN_DEMO: "0",
    SESSION_SECRET: TEST_SESSION_SECRET,
    ...options.env,
  });
  const running = await startServer(config);
  return { ...running, databasePath };
}

/** One server for the calling test file: started before its tests, closed after them. Call the getter inside hooks and tests. */
export function testServerForFile(options: Parameters<typeof startTestServer>[0] = {}): () => TestServer {
  let server: TestServer | undefined;
  beforeAll(async () => {
    server = await startTestServer(options);
  });
  afterAll(() => server?.close());
  return () => {
    if (!server) throw new Error("Le serveur de test n'est pas encore démarré");
    return server;
  };
}
