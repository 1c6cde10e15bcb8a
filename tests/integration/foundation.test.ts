import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, readPragmas } from "../../db/client";
import { TestClient, visibleText } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ demo: true });
});
afterAll(() => server?.close());

describe("the database handle", () => {
  it("runs in WAL mode with synchronous=FULL and foreign keys on", () => {
    const handle = openDatabase(server.databasePath);
    try {
      expect(readPragmas(handle)).toEqual({ journalMode: "wal", synchronous: 2, foreignKeys: 1 });
    } finally {
      void handle.close();
    }
  });
});

describe("GET /healthz", () => {
  it("answers 200 with the database reachable", async () => {
    const response = await fetch(`${server.url}/healthz`);
    expect(response.status).toBe(200);
  });
});

describe("login and logout", () => {
  it("lets the demo pilot in and shows the demo study, then logs out", async () => {
    const client = new TestClient(server.url);
    const anonymous = await client.get("/etudes");
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("location")).toBe("/connexion?redirectTo=%2Fetudes");

    const login = await client.login("pilote@example.org", "terrain-demo");
    expect(login.headers.get("location")).toBe("/etudes");
    const cookie = login.headers.getSetCookie().join(";");
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);

    const list = await client.get("/etudes");
    expect(list.status).toBe(200);
    expect(visibleText(await list.text())).toContain("Dynamiques collectives de transitions dans les territoires");

    const logout = await client.post("/deconnexion", {});
    expect(logout.status).toBe(302);
    expect((await client.get("/etudes")).status).toBe(302);
  });

  it("refuses a wrong password with a French message", async () => {
    const client = new TestClient(server.url);
    const response = await client.post("/connexion", { email: "membre@example.org", password: "faux" });
    expect(response.status).toBe(200);
    expect(visibleText(await response.text())).toContain("Adresse e-mail ou mot de passe incorrect.");
  });

  it("throttles an address after repeated failures, even with the right password", async () => {
    const client = new TestClient(server.url);
    for (let i = 0; i < 5; i++) await client.post("/connexion", { email: "lecteur@example.org", password: `faux-${i}` });
    const response = await client.post("/connexion", { email: "lecteur@example.org", password: "terrain-demo" });
    expect(visibleText(await response.text())).toContain("Trop de tentatives échouées");
  });

  it("shows the demo accounts on the login page while the demo is loaded", async () => {
    const page = visibleText(await (await fetch(`${server.url}/connexion`)).text());
    expect(page).toContain("pilote@example.org");
    expect(page).toContain("terrain-demo");
  });
});
