import { describe, expect, it } from "vitest";
import { browserForFile, loginAs, newContext } from "../helpers/browser";
import { testServerForFile } from "../helpers/server";

const server = testServerForFile({ demo: true });
const browser = browserForFile();

describe("logging in from a browser", () => {
  it("takes the demo pilot to their studies", async () => {
    const context = await newContext(browser(), server().url);
    const page = await context.newPage();
    await loginAs(page, "pilote@example.org", "terrain-demo");
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("Mes études");
    expect(await page.getByRole("link", { name: "Dynamiques collectives de transitions dans les territoires" }).isVisible()).toBe(true);
    expect(context.pageErrors).toEqual([]);
    await context.close();
  });
});
