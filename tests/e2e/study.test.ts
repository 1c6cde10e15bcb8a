import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { browserForFile, loginAs, newContext } from "../helpers/browser";
import { testServerForFile } from "../helpers/server";

const DEMO_STUDY = "Dynamiques collectives de transitions dans les territoires";
const server = testServerForFile({ demo: true });
const browser = browserForFile();

async function openDemoStudy(page: Page) {
  await page.getByRole("link", { name: DEMO_STUDY }).click();
  await page.getByRole("heading", { level: 1, name: DEMO_STUDY }).waitFor();
}

async function openTab(page: Page, name: string) {
  await page.getByRole("navigation", { name: "Sections de l'étude" }).getByRole("link", { name }).click();
}

describe("the study pages in a browser", () => {
  it("let the demo pilot create a dynamic and a visit of it, both then listed", async () => {
    const context = await newContext(browser(), server().url);
    const page = await context.newPage();
    // Fail on the step that is stuck rather than on the test's overall timeout.
    page.setDefaultTimeout(10_000);
    await loginAs(page, "pilote@example.org", "terrain-demo");
    await openDemoStudy(page);
    await expect.poll(() => page.getByText("Dynamiques suivies").isVisible()).toBe(true);

    await openTab(page, "Dynamiques");
    await page.waitForURL(/\/dynamiques$/);
    const form = page.locator("section", { has: page.getByRole("heading", { name: "Nouvelle dynamique" }) });
    await form.getByLabel("Nom", { exact: true }).fill("Tiers-lieu de la Vallée");
    await form.getByLabel("Type", { exact: true }).selectOption({ label: "Tiers-lieu" });
    await form.getByLabel("Territoire", { exact: true }).fill("Vallée de la Drôme");
    await form.getByLabel("Département", { exact: true }).fill("26");
    await form.getByRole("button", { name: "Créer" }).click();
    await expect.poll(() => page.getByRole("table").getByRole("link", { name: "Tiers-lieu de la Vallée" }).count()).toBe(1);

    await openTab(page, "Visites");
    await page.waitForURL(/\/visites$/);
    const visitForm = page.locator("section", { has: page.getByRole("heading", { name: "Nouvelle rencontre" }) });
    await visitForm.getByLabel("Type de rencontre").selectOption({ label: "Voyage apprenant" });
    await visitForm.getByLabel("Titre", { exact: true }).fill("Voyage apprenant dans la Drôme");
    await visitForm.getByLabel("Date de début").fill("2019-06-12");
    await visitForm.getByLabel("Date de fin").fill("2019-06-13");
    await visitForm.getByLabel("Lieu", { exact: true }).fill("Crest (Drôme)");
    await visitForm.getByRole("checkbox", { name: "Tiers-lieu de la Vallée" }).check();
    await visitForm.getByLabel("Organisation 1").fill("Biovallée");
    await visitForm.getByLabel("Fonction 1").fill("Chargée de mission");
    await visitForm.getByRole("button", { name: "Créer" }).click();

    const timeline = page.getByRole("list", { name: "Chronologie" });
    const item = timeline.locator("li.timeline-item", { hasText: "Voyage apprenant dans la Drôme" });
    await expect.poll(() => item.count()).toBe(1);
    expect(await item.innerText()).toContain("Tiers-lieu de la Vallée");
    expect(await item.innerText()).toContain("du 12 juin 2019 au 13 juin 2019");
    const month = timeline.locator("li.timeline-month", { has: page.locator("li.timeline-item", { hasText: "Voyage apprenant dans la Drôme" }) });
    expect(await month.getByRole("heading").innerText()).toMatch(/juin 2019/i);

    await item.getByRole("link", { name: "Voyage apprenant dans la Drôme" }).click();
    await page.getByRole("heading", { name: "Voyage apprenant dans la Drôme" }).waitFor();
    expect(await page.getByText("Biovallée — Chargée de mission").isVisible()).toBe(true);
    expect(await page.getByRole("link", { name: "Ouvrir le compte rendu" }).isVisible()).toBe(true);

    expect(context.pageErrors).toEqual([]);
    await context.close();
  });

  it("show the demo lecteur the same pages without any edit control, and refuse a forged write", async () => {
    const context = await newContext(browser(), server().url);
    const page = await context.newPage();
    // Fail on the step that is stuck rather than on the test's overall timeout.
    page.setDefaultTimeout(10_000);
    await loginAs(page, "lecteur@example.org", "terrain-demo");
    await openDemoStudy(page);
    expect(await page.getByText("Lecteur", { exact: true }).first().isVisible()).toBe(true);
    const studyPath = new URL(page.url()).pathname;

    await openTab(page, "Dynamiques");
    await page.waitForURL(/\/dynamiques$/);
    // The URL changes before React has rendered the new page, and the study page just left links to Figeacteurs too.
    await expect.poll(() => page.getByRole("table").getByRole("link", { name: "Figeacteurs" }).isVisible()).toBe(true);
    expect(await page.getByRole("heading", { name: "Nouvelle dynamique" }).count()).toBe(0);
    expect(await page.getByRole("button", { name: "Créer" }).count()).toBe(0);

    await page.getByRole("link", { name: "Figeacteurs" }).click();
    await page.getByRole("heading", { name: "Figeacteurs" }).waitFor();
    for (const name of ["Archiver", "Enregistrer", "Supprimer définitivement"]) {
      expect(await page.getByRole("button", { name }).count()).toBe(0);
    }
    expect(await page.getByRole("heading", { name: "Modifier la dynamique" }).count()).toBe(0);
    const dynamicPath = new URL(page.url()).pathname;

    await openTab(page, "Visites");
    await page.waitForURL(/\/visites$/);
    // As above: the dynamic's page just left lists this visit too.
    await expect.poll(() => page.getByRole("list", { name: "Chronologie" }).getByRole("link", { name: "Rencontre territoriale à Figeac" }).isVisible()).toBe(true);
    expect(await page.getByRole("heading", { name: "Nouvelle rencontre" }).count()).toBe(0);
    await page.getByRole("link", { name: "Rencontre territoriale à Figeac" }).click();
    await page.getByRole("heading", { name: "Rencontre territoriale à Figeac" }).waitFor();
    expect(await page.getByRole("heading", { name: "Modifier la rencontre" }).count()).toBe(0);
    expect(await page.getByRole("button").filter({ hasText: /Appliquer|Enregistrer/ }).count()).toBe(0);
    expect(await page.getByRole("link", { name: "Ouvrir le compte rendu" }).isVisible()).toBe(true);

    const origin = new URL(server().url).origin;
    const forged = await page.request.post(`${dynamicPath}`, { form: { intent: "archive" }, headers: { Origin: origin }, maxRedirects: 0 });
    expect(forged.status()).toBe(403);
    const forgedCreate = await page.request.post(`${studyPath}/dynamiques`, {
      form: { name: "Intrusion", typeId: "00000000-0000-4000-8000-000000000000" },
      headers: { Origin: origin },
      maxRedirects: 0,
    });
    expect(forgedCreate.status()).toBe(403);
    await page.reload();
    expect(await page.getByText("Archivée").count()).toBe(0);

    expect(context.pageErrors).toEqual([]);
    await context.close();
  });

  it("fit a phone's width: no page of the demo study scrolls sideways, wide tables scroll in their own box", async () => {
    const context = await newContext(browser(), server().url);
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await page.setViewportSize({ width: 390, height: 844 });
    await loginAs(page, "pilote@example.org", "terrain-demo");
    await openDemoStudy(page);
    const tabs = page.getByRole("navigation", { name: "Sections de l'étude" }).getByRole("link");
    const paths = [new URL(page.url()).pathname, ...(await tabs.evaluateAll((links) => links.map((a) => a.getAttribute("href")!)))];
    await openTab(page, "Visites");
    await page.getByRole("link", { name: "Rencontre territoriale à Figeac" }).click();
    await page.getByRole("link", { name: "Ouvrir le compte rendu" }).click();
    await page.getByText("Synchronisé").waitFor();
    paths.push(new URL(page.url()).pathname);

    const sideways: string[] = [];
    for (const path of paths) {
      // The editor and the findings panel render after hydration: measure once the page is at rest.
      await page.goto(path, { waitUntil: "networkidle" });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      if (overflow > 0) sideways.push(`${path} : ${overflow} px`);
    }
    expect(sideways).toEqual([]);
    // The dynamics table is wider than the phone: its last columns stay reachable by scrolling it.
    await page.goto(paths.find((p) => p.endsWith("/dynamiques"))!, { waitUntil: "networkidle" });
    const table = page.getByRole("table");
    expect(await table.evaluate((t) => t.scrollWidth > t.clientWidth && getComputedStyle(t).overflowX === "auto")).toBe(true);

    expect(context.pageErrors).toEqual([]);
    await context.close();
  });
});
