import { beforeAll, describe, expect, it } from "vitest";
import { TEST_PASSWORD } from "../helpers/factories";
import { browserForFile, loginAs, newContext } from "../helpers/browser";
import { createFindingsFixture } from "../helpers/findings-fixture";
import { testServerForFile } from "../helpers/server";

const server = testServerForFile();
const browser = browserForFile();
let fx: Awaited<ReturnType<typeof createFindingsFixture>>;

beforeAll(async () => {
  fx = await createFindingsFixture(server().database.db);
});

describe("comparing findings in a browser (lecteur)", () => {
  it("opens a matrix cell, filters the findings, searches while typing", async () => {
    const context = await newContext(browser(), server().url);
    const page = await context.newPage();
    await loginAs(page, fx.team.lecteur.email, TEST_PASSWORD);

    await page.goto(`/etudes/${fx.studyId}`);
    await page.getByRole("link", { name: "Matrice" }).click();
    await expect.poll(() => page.getByRole("heading", { level: 2 }).first().textContent()).toBe("Matrice facteurs × dynamiques");
    await page.getByRole("link", { name: "Coopération × Figeacteurs : 3 enseignements" }).click();
    const cell = page.locator("#cellule");
    await expect.poll(() => cell.getByRole("listitem").count()).toBe(3);
    expect(await cell.getByText("Un cœur de bourg revitalisé").isVisible()).toBe(true);
    await page.screenshot({ path: `${process.env.TMPDIR ?? "/tmp"}/terrain-matrice.png`, fullPage: true });

    await page.getByRole("link", { name: "Co-occurrences" }).click();
    await expect.poll(() => page.getByRole("link", { name: "Coopération × Leadership : 2 enseignements" }).count()).toBe(1);

    await page.getByRole("link", { name: "Enseignements", exact: true }).click();
    await expect.poll(() => page.locator(".finding-card").count()).toBe(8);
    await page.locator(`select[name="nature"]`).selectOption({ label: "Levier" });
    await page.getByRole("button", { name: "Filtrer" }).click();
    await expect.poll(() => page.locator(".finding-card").count()).toBe(2);
    expect(new URL(page.url()).searchParams.get("nature")).toBe("levier");

    await page.getByRole("link", { name: "Recherche" }).click();
    await page.getByLabel("Rechercher dans les comptes rendus et les enseignements").pressSequentially("coop", { delay: 30 });
    await expect.poll(() => new URL(page.url()).searchParams.get("q")).toBe("coop");
    await expect.poll(() => page.locator(".search-results mark").first().textContent()).toMatch(/^coop/i);
    await page.screenshot({ path: `${process.env.TMPDIR ?? "/tmp"}/terrain-recherche.png`, fullPage: true });
    expect(context.pageErrors).toEqual([]);
    await context.close();
  });
});
