import { spawn } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import { resolve } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase } from "../../db/client";
import { findUserByEmail } from "../../db/queries/users";
import { createUser } from "../helpers/factories";
import { TestClient } from "../helpers/http";
import { copyTemplate, startTestServer, type TestServer } from "../helpers/server";
import { TMP_DIR } from "../setup/paths";

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a db/cli script the way `npm run` does, as its own process. */
function runCli(script: string, args: string[], env: Record<string, string | undefined>, input?: string): Promise<CliRun> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "test" };
  delete childEnv.TERRAIN_ADMIN_PASSWORD;
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) delete childEnv[key];
    else childEnv[key] = value;
  }
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ["--import", "tsx", `db/cli/${script}.ts`, ...args], { env: childEnv });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", fail);
    child.on("close", (code) => done({ code, stdout, stderr }));
    child.stdin.end(input ?? "");
  });
}

const ADMIN_PASSWORD = "mot-de-passe-admin-long";
const servers: TestServer[] = [];

afterEach(async () => {
  while (servers.length > 0) await servers.pop()!.close();
});

/** A server on a database file the test prepared (startTestServer's own copy is left unused). */
async function serverOn(databasePath: string) {
  const server = await startTestServer({ env: { NODE_ENV: "test", DATABASE_PATH: databasePath } });
  servers.push(server);
  return server;
}

describe("npm run user:create-admin", () => {
  it("creates an administrator who can log in and open the administration", async () => {
    const databasePath = copyTemplate();
    const run = await runCli("create-admin", ["Admin@Example.org", "Ada", "Lovelace"], {
      DATABASE_PATH: databasePath,
      TERRAIN_ADMIN_PASSWORD: ADMIN_PASSWORD,
    });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("Administrateur admin@example.org (Ada Lovelace) créé.");

    const server = await serverOn(databasePath);
    const client = new TestClient(server.url);
    await client.login("admin@example.org", ADMIN_PASSWORD);
    expect((await client.get("/admin")).status).toBe(200);
  });

  it("reads the password from the first line of stdin when the variable is absent", async () => {
    const databasePath = copyTemplate();
    const run = await runCli("create-admin", ["stdin@example.org", "Par Entrée"], { DATABASE_PATH: databasePath }, `${ADMIN_PASSWORD}\nignoré\n`);
    expect(run.code).toBe(0);
    const server = await serverOn(databasePath);
    await new TestClient(server.url).login("stdin@example.org", ADMIN_PASSWORD);
  });

  it("promotes an existing account without touching its password", async () => {
    const databasePath = copyTemplate();
    const handle = openDatabase(databasePath);
    const user = await createUser(handle.db, { name: "Déjà Là" });
    await handle.close();
    const run = await runCli("create-admin", [user.email, "Autre Nom"], { DATABASE_PATH: databasePath, TERRAIN_ADMIN_PASSWORD: ADMIN_PASSWORD });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("est maintenant administrateur");
    const check = openDatabase(databasePath);
    try {
      expect(await findUserByEmail(check.db, user.email)).toMatchObject({ is_admin: 1, name: "Déjà Là", password_hash: user.password_hash });
    } finally {
      await check.close();
    }
  });

  it("refuses bad input with a French message and a non-zero exit", async () => {
    const databasePath = copyTemplate();
    const cases: [string[], string | undefined, string][] = [
      [[], ADMIN_PASSWORD, "Usage : npm run user:create-admin"],
      [["pas-une-adresse", "Nom"], ADMIN_PASSWORD, "Adresse e-mail invalide."],
      [["ok@example.org"], ADMIN_PASSWORD, "Nom : Ce champ est obligatoire."],
      [["ok@example.org", "Nom"], "court", "au moins 10 caractères"],
      [["ok@example.org", "Nom"], undefined, "au moins 10 caractères"],
    ];
    for (const [args, password, message] of cases) {
      const run = await runCli("create-admin", args, { DATABASE_PATH: databasePath, TERRAIN_ADMIN_PASSWORD: password });
      expect(run.code, args.join(" ")).not.toBe(0);
      expect(run.stderr).toContain(message);
    }
    const handle = openDatabase(databasePath);
    try {
      expect(await findUserByEmail(handle.db, "ok@example.org")).toBeUndefined();
    } finally {
      await handle.close();
    }
  });
});

describe("npm run db:backup", () => {
  it("copies the live database while the server has it open, into a file that opens with the same users", async () => {
    const server = await startTestServer({ demo: true });
    servers.push(server);
    await createUser(server.database.db, { email: "sauvegarde@example.org" });
    const destination = resolve(TMP_DIR, `backup-${crypto.randomUUID()}.sqlite`);
    try {
      const run = await runCli("backup", [destination], { DATABASE_PATH: server.databasePath });
      expect(run.stderr).toBe("");
      expect(run.code).toBe(0);
      expect(run.stdout).toContain("Sauvegarde écrite");

      const live = await server.database.db.selectFrom("users").select("email").orderBy("email").execute();
      const copy = openDatabase(destination);
      try {
        const copied = await copy.db.selectFrom("users").select("email").orderBy("email").execute();
        expect(copied).toEqual(live);
        expect(copied.map((u) => u.email)).toContain("sauvegarde@example.org");
      } finally {
        await copy.close();
      }
      // The server still works after the copy.
      await new TestClient(server.url).login("pilote@example.org", "terrain-demo");

      const again = await runCli("backup", [destination], { DATABASE_PATH: server.databasePath });
      expect(again.code).not.toBe(0);
      expect(again.stderr).toContain("existe déjà");
    } finally {
      for (const suffix of ["", "-wal", "-shm"]) if (existsSync(destination + suffix)) rmSync(destination + suffix);
    }
  });

  it("explains its usage when no destination is given", async () => {
    const run = await runCli("backup", [], { DATABASE_PATH: copyTemplate() });
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain("Usage : npm run db:backup");
  });
});

describe("npm run db:migrate", () => {
  it("brings a new database file up to date", async () => {
    const databasePath = resolve(TMP_DIR, `migrate-${crypto.randomUUID()}.sqlite`);
    const run = await runCli("migrate", [], { DATABASE_PATH: databasePath });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("Base à jour");
    const handle = openDatabase(databasePath);
    try {
      expect(await handle.db.selectFrom("studies").select("id").execute()).toEqual([]);
    } finally {
      await handle.close();
    }
  });
});
