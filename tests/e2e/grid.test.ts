import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { browserForFile, loginAs, newContext } from "../helpers/browser";
import { testServerForFile } from "../helpers/server";

const DEMO_STUDY = "Dynamiques collectives de transitions dans les territoires";
const server = testServerForFile({ demo: true });
const browser = browserForFile();

async function openGrid(page: Page, email: string) {
  await loginAs(page, email, "terrain-demo");
  await page.getByRole("link", { name: DEMO_STUDY }).click();
  await page.getByRole("navigation", { name: "Sections de l'étude" }).getByRole("link", { name: "Grille d'analyse" }).click();
  await page.waitForURL(/\/grille$/);
  await page.getByRole("heading", { level: 2, name: "Grille d'analyse" }).waitFor();
}

const factorItem = (page: Page, label: string) => page.locator("li.factor-item", { has: page.getByRole("heading", { level: 4, name: label, exact: true }) });

describe("the analysis grid in a browser", () => {
  it("lets the demo pilot rename a factor and merge another, both shown and journaled", async () => {
    const context = await newContext(browser(), server().url);
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await openGrid(page, "pilote@example.org");

    const facilitateur = factorItem(page, "Facilitateur");
    await facilitateur.locator("summary", { hasText: "Modifier" }).click();
    await facilitateur.getByLabel("Intitulé du facteur").fill("Tiers facilitateur");
    await facilitateur.getByRole("button", { name: "Enregistrer" }).click();
    await expect.poll(() => factorItem(page, "Tiers facilitateur").count()).toBe(1);
    const journal = page.locator("section.grid-journal");
    await expect.poll(() => journal.innerText()).toContain("Facteur « Tiers facilitateur » modifié : intitulé « Facilitateur » → « Tiers facilitateur »");
    expect(await journal.innerText()).toContain("Pilote");

    const victoires = factorItem(page, "Victoires rapides");
    await victoires.getByLabel("Facteur qui reçoit les enseignements (Victoires rapides)").selectOption({ label: "Vision partagée" });
    await victoires.getByRole("button", { name: "Fusionner…" }).click();
    const confirmation = page.locator("section.merge-confirm");
    await expect.poll(() => confirmation.isVisible()).toBe(true);
    expect(await confirmation.innerText()).toContain("« Victoires rapides » sera archivé et renverra désormais vers « Vision partagée »");
    await confirmation.getByRole("button", { name: "Confirmer la fusion" }).click();
    await expect.poll(() => factorItem(page, "Victoires rapides").innerText()).toContain("Fusionné dans « Vision partagée »");
    expect(await confirmation.count()).toBe(0);
    expect(await journal.innerText()).toContain("Facteur « Victoires rapides » fusionné dans « Vision partagée »");

    expect(context.pageErrors).toEqual([]);
    await context.close();
  });

  it("shows the demo lecteur the grid and its journal without any edit control", async () => {
    const context = await newContext(browser(), server().url);
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await openGrid(page, "lecteur@example.org");
    expect(await factorItem(page, "Vision partagée").innerText()).toContain("Un récit et des objectifs communs au territoire");
    expect(await page.getByRole("heading", { name: "Journal des modifications" }).isVisible()).toBe(true);
    expect(await page.getByRole("button").filter({ hasText: /Enregistrer|Archiver|Fusionner|Monter|Ajouter/ }).count()).toBe(0);
    expect(await page.getByRole("textbox").count()).toBe(0);
    expect(context.pageErrors).toEqual([]);
    await context.close();
  });
});
