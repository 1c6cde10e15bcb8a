import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, loginAs, newContext } from "../helpers/browser";
import { startTestServer, type TestServer } from "../helpers/server";

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startTestServer({ demo: true }), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe("logging in from a browser", () => {
  it("takes the demo pilot to their studies", async () => {
    const context = await newContext(browser, server.url);
    const page = await context.newPage();
    await loginAs(page, "pilote@example.org", "terrain-demo");
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("Mes études");
    expect(await page.getByRole("link", { name: "Dynamiques collectives de transitions dans les territoires" }).isVisible()).toBe(true);
    expect(context.pageErrors).toEqual([]);
    await context.close();
  });
});
