import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { DEFAULT_LIMITS } from "../../server/collab/limits";
import { readConfig } from "../../server/config";

describe("configuration from the environment", () => {
  it("has the documented defaults", () => {
    const config = readConfig({});
    expect(config).toMatchObject({ port: 3000, host: "127.0.0.1", production: false, loadDemo: true });
    expect(config.databasePath).toMatch(/data\/terrain\.sqlite$/);
  });

  it("loads the demo unless production, and TERRAIN_DEMO overrides both ways", () => {
    const secret = { SESSION_SECRET: "x".repeat(32) };
    expect(readConfig({ NODE_ENV: "production", ...secret }).loadDemo).toBe(false);
    expect(readConfig({ NODE_ENV: "production", TERRAIN_DEMO: "1", ...secret }).loadDemo).toBe(true);
    expect(readConfig({ TERRAIN_DEMO: "0" }).loadDemo).toBe(false);
  });

  it("refuses bad values with a French message", () => {
    expect(() => readConfig({ PORT: "quatre" })).toThrow(/PORT doit être un numéro de port/);
    expect(() => readConfig({ TERRAIN_DEMO: "oui" })).toThrow(/TERRAIN_DEMO vaut 1/);
    expect(() => readConfig({ TERRAIN_COLLAB_IDLE_TIMEOUT_MS: "une minute" })).toThrow(
      /TERRAIN_COLLAB_IDLE_TIMEOUT_MS doit être un entier positif, reçu « une minute »/,
    );
  });

  it("reads the collaboration limits with the rest, each defaulting when unset", () => {
    const { collabLimits } = readConfig({ TERRAIN_COLLAB_MAX_CONNECTIONS_PER_DOCUMENT: "300" });
    expect(collabLimits).toEqual({ ...DEFAULT_LIMITS, maxConnectionsPerDocument: 300 });
  });

  it("stops the server at start in production without SESSION_SECRET, saying why", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", "server/index.ts"], {
      env: { ...process.env, NODE_ENV: "production", SESSION_SECRET: "", PORT: "0", DATABASE_PATH: ":memory:" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((done) => child.on("exit", done));
    expect(code).toBe(78);
    expect(stderr).toContain("SESSION_SECRET est obligatoire en production");
  });
});
