import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_ACCOUNTS } from "../../db/seed/demo-accounts";
import { launchBrowser } from "../helpers/browser";
import {
  closeClean,
  editorOf,
  findDemoReport,
  findingIdsAt,
  markOf,
  openReport as openReportAt,
  poll,
  selectedText,
  selectText,
  signedInPage as signedInPageAs,
} from "../helpers/report-page";
import { startTestServer, type TestServer } from "../helpers/server";

let server: TestServer;
let browser: Browser;
let reportPath: string;
let studyId: string;

const [pilote, membre, lecteur] = DEMO_ACCOUNTS;

beforeAll(async () => {
  [server, browser] = await Promise.all([startTestServer({ demo: true }), launchBrowser()]);
  ({ studyId, reportPath } = await findDemoReport(server.database.db));
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const signedInPage = (account: { email: string }) => signedInPageAs(browser, server.url, account);

const panelOf = (page: Page) => page.getByRole("complementary", { name: /Enseignements/ });
const tagButton = (page: Page) => page.getByRole("button", { name: "Marquer comme enseignement" });

const openReport = (page: Page, hash = "") => openReportAt(page, reportPath + hash);

/** The text covered by a finding's marks, in document order. */
function markedText(page: Page, id: string): Promise<string> {
  return page.evaluate((findingId) => {
    const root = document.querySelector(".report-content")!;
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    let text = "";
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.parentElement?.closest(`mark.finding[data-finding-id="${findingId}"]`)) text += node.textContent;
    }
    return text;
  }, id);
}

async function factorId(key: string) {
  const row = await server.database.db.selectFrom("factors").select("id").where("study_id", "=", studyId).where("key", "=", key).executeTakeFirstOrThrow();
  return row.id;
}

function findingRow(id: string) {
  return server.database.db.selectFrom("findings").selectAll().where("id", "=", id).executeTakeFirst();
}

async function findingFactors(id: string) {
  const rows = await server.database.db.selectFrom("finding_factors").select("factor_id").where("finding_id", "=", id).execute();
  return rows.map((r) => r.factor_id).sort();
}

const FIRST = "une grande entreprise industrielle siège aux côtés d'associations d'insertion";
const OVERLAP = "siège aux côtés d'associations d'insertion et de l'IUT";

describe("tagging findings in a live report", { timeout: 180_000 }, () => {
  it("tags a passage, highlights it for everyone in real time with its tooltip, and copies it to SQLite", async () => {
    const a = await signedInPage(membre);
    const b = await signedInPage(pilote);
    await openReport(a.page);
    await openReport(b.page);

    // The demo report comes with four findings, listed in the panel.
    await poll(() => panelOf(a.page).getByRole("listitem").count()).toBe(4);

    await selectText(a.page, FIRST);
    expect(await tagButton(a.page).getAttribute("title")).toBe("Marquer comme enseignement (Ctrl+Maj+E)");
    await tagButton(a.page).click();
    const dialog = a.page.getByRole("dialog", { name: "Marquer comme enseignement" });
    await dialog.getByLabel("Type d'enseignement").selectOption({ label: "Levier" });
    // No audience for a levier.
    expect(await dialog.getByLabel("Public visé").count()).toBe(0);

    // Saving without a factor says why and tags nothing.
    await dialog.getByRole("button", { name: "Enregistrer" }).click();
    await poll(() => dialog.getByText("Choisissez au moins un facteur.").isVisible()).toBe(true);
    expect(await a.page.locator("mark.finding").count()).toBeGreaterThan(0);
    expect(await findingIdsAt(a.page, FIRST)).toEqual([]);

    await dialog.getByRole("combobox", { name: "Facteurs" }).fill("gouv");
    await poll(() => dialog.getByRole("listbox", { name: "Facteurs" }).getByRole("option").allTextContents()).toEqual(["Gouvernance multi-acteurs"]);
    await a.page.keyboard.press("Enter");
    await poll(() => dialog.getByText("Gouvernance multi-acteurs").count()).toBe(1);
    // The visit's dynamic is chosen by default.
    expect(await dialog.getByRole("checkbox", { name: /Figeacteurs/ }).isChecked()).toBe(true);
    await dialog.getByRole("button", { name: "Enregistrer" }).click();
    await poll(() => dialog.count()).toBe(0);

    await poll(() => findingIdsAt(a.page, FIRST).then((ids) => ids.length)).toBe(1);
    const [id] = await findingIdsAt(a.page, FIRST);
    expect(await markedText(a.page, id!)).toBe(FIRST);
    // Highlighted in the factor's family color (Coopérer, #2563eb).
    await poll(() => markOf(a.page, id!).evaluate((el) => getComputedStyle(el).boxShadow)).toContain("rgb(37, 99, 235)");

    // The pilote sees it appear without reloading, in the same color, with its tags on hover.
    await poll(() => markOf(b.page, id!).count()).toBe(1);
    expect(await markedText(b.page, id!)).toBe(FIRST);
    await poll(() => markOf(b.page, id!).evaluate((el) => getComputedStyle(el).boxShadow)).toContain("rgb(37, 99, 235)");
    await markOf(b.page, id!).hover();
    const tooltip = b.page.getByRole("tooltip");
    await poll(() => tooltip.textContent()).toContain("Levier");
    const tip = (await tooltip.textContent())!;
    expect(tip).toContain("Gouvernance multi-acteurs");
    expect(tip).toContain("Dynamiques : Figeacteurs");
    expect(tip).toContain(`Marqué par ${membre.name}`);
    await poll(() => panelOf(b.page).getByRole("listitem").count()).toBe(5);
    // A pilote may edit; the controls are there.
    expect(await panelOf(b.page).getByRole("button", { name: "Modifier" }).count()).toBe(5);

    // The server copied it to SQLite with its quote, factor and dynamic.
    await poll(async () => (await findingRow(id!))?.quote).toBe(FIRST);
    expect((await findingRow(id!))?.kind).toBe("levier");
    expect(await findingFactors(id!)).toEqual([await factorId("gouvernance")]);
    const dynamics = await server.database.db
      .selectFrom("finding_dynamics")
      .innerJoin("dynamics", "dynamics.id", "finding_dynamics.dynamic_id")
      .select("dynamics.name")
      .where("finding_id", "=", id!)
      .execute();
    expect(dynamics.map((d) => d.name)).toEqual(["Figeacteurs"]);

    await closeClean(a.context, b.context);
  });

  it("tags an overlapping passage with the shortcut, edits and removes findings, and lists orphaned ones", async () => {
    const a = await signedInPage(membre);
    await openReport(a.page);
    const [first] = await findingIdsAt(a.page, FIRST);
    expect(first).toBeTruthy();
    const items = panelOf(a.page).getByRole("listitem");
    await poll(() => items.count()).toBe(5);

    // One undo takes a whole tagging back (marks and tags), one redo brings it back.
    await selectText(a.page, "chacun garde son autonomie");
    await a.page.keyboard.press("Control+Shift+E");
    const quick = a.page.getByRole("dialog", { name: "Marquer comme enseignement" });
    await quick.getByLabel("Type d'enseignement").selectOption({ label: "Levier" });
    await quick.getByRole("combobox", { name: "Facteurs" }).fill("confiance");
    await a.page.keyboard.press("Enter");
    await quick.getByRole("button", { name: "Enregistrer" }).click();
    await poll(() => items.count()).toBe(6);
    await editorOf(a.page).focus();
    await a.page.keyboard.press("Control+z");
    await poll(() => items.count()).toBe(5);
    expect(await findingIdsAt(a.page, "chacun garde son autonomie")).toEqual([]);
    await a.page.keyboard.press("Control+y");
    await poll(() => findingIdsAt(a.page, "chacun garde son autonomie").then((ids) => ids.length)).toBe(1);
    await poll(() => items.count()).toBe(6);
    await a.page.keyboard.press("Control+z");
    await poll(() => items.count()).toBe(5);

    await selectText(a.page, OVERLAP);
    await a.page.keyboard.press("Control+Shift+E");
    const dialog = a.page.getByRole("dialog", { name: "Marquer comme enseignement" });
    await poll(() => dialog.isVisible()).toBe(true);
    await dialog.getByLabel("Type d'enseignement").selectOption({ label: "Proposition" });
    await dialog.getByLabel("Public visé").selectOption({ label: "Pouvoirs publics" });
    // Type-ahead folds accents and case.
    await dialog.getByRole("combobox", { name: "Facteurs" }).fill("CONFIANCE");
    await dialog.getByRole("option", { name: "Confiance mutuelle" }).click();
    await dialog.getByLabel("Commentaire (facultatif)").fill("À discuter avec la préfecture.");
    await dialog.getByRole("button", { name: "Enregistrer" }).click();
    await poll(() => dialog.count()).toBe(0);

    // Both findings keep their whole passages.
    await poll(() => findingIdsAt(a.page, "et de l'IUT").then((ids) => ids.length)).toBe(1);
    const [second] = await findingIdsAt(a.page, "et de l'IUT");
    expect(second).not.toBe(first);
    expect(await markedText(a.page, first!)).toBe(FIRST);
    expect(await markedText(a.page, second!)).toBe(OVERLAP);
    await poll(async () => (await findingRow(second!))?.audience).toBe("pouvoirs-publics");
    expect((await findingRow(second!))?.comment).toBe("À discuter avec la préfecture.");
    expect((await findingRow(first!))?.quote).toBe(FIRST);

    // Hovering the overlap shows both findings.
    await a.page.locator(`mark.finding[data-finding-id="${second}"] mark.finding, mark.finding[data-finding-id="${first}"] mark.finding`).first().hover();
    await poll(() => a.page.getByRole("tooltip").locator(".finding-tooltip__finding").count()).toBe(2);

    // Edit: the same dialog replaces the tags.
    const item = panelOf(a.page).getByRole("listitem").filter({ hasText: "À discuter avec la préfecture." });
    await item.getByRole("button", { name: "Modifier" }).click();
    const edit = a.page.getByRole("dialog", { name: "Modifier l'enseignement" });
    expect(await edit.getByLabel("Type d'enseignement").inputValue()).toBe("proposition");
    await edit.getByLabel("Type d'enseignement").selectOption({ label: "Frein" });
    await edit.getByRole("combobox", { name: "Facteurs" }).fill("ingé");
    await edit.getByRole("option", { name: "Ingénierie de soutien" }).click();
    await edit.getByRole("button", { name: "Enregistrer" }).click();
    await poll(async () => (await findingRow(second!))?.kind).toBe("frein");
    expect((await findingRow(second!))?.audience).toBeNull();
    expect(await findingFactors(second!)).toEqual([await factorId("confiance"), await factorId("ingenierie")].sort());

    // Deleting the passage lists the finding for review; undo brings it back.
    await selectText(a.page, FIRST);
    await a.page.keyboard.press("Backspace");
    const orphaned = panelOf(a.page).getByRole("region", { name: "À revoir (passage supprimé)" });
    await poll(() => orphaned.getByRole("listitem").count()).toBe(1);
    expect(await orphaned.textContent()).toContain("Levier");
    await poll(async () => (await findingRow(first!))?.orphaned_at).not.toBeNull();
    await a.page.keyboard.press("Control+z");
    await poll(() => orphaned.count()).toBe(0);
    await poll(() => markedText(a.page, first!)).toBe(FIRST);
    await poll(async () => (await findingRow(first!))?.orphaned_at).toBeNull();

    // Remove: marks and tags go, after a confirmation.
    a.page.once("dialog", (confirm) => void confirm.accept());
    await item.getByRole("button", { name: "Retirer" }).click();
    await poll(() => markOf(a.page, second!).count()).toBe(0);
    await poll(() => findingRow(second!)).toBeUndefined();
    expect(await markedText(a.page, first!)).toBe(FIRST);

    await closeClean(a.context);
  });

  it("opens a link to a finding scrolled to its passage; a lecteur reads findings but cannot tag", async () => {
    const [first] = await server.database.db.selectFrom("findings").select("id").where("quote", "=", FIRST).execute();
    expect(first).toBeTruthy();
    const c = await signedInPage(lecteur);
    await c.page.setViewportSize({ width: 1200, height: 500 });
    await openReport(c.page, `#enseignement-${first!.id}`);
    await poll(() => selectedText(c.page)).toBe(FIRST);
    await poll(() =>
      markOf(c.page, first!.id).evaluate((el) => {
        const rect = el.getBoundingClientRect();
        return rect.top >= 0 && rect.bottom <= window.innerHeight;
      }),
    ).toBe(true);

    // Highlights, tooltips and the panel, but no tagging controls.
    await poll(() => panelOf(c.page).getByRole("listitem").count()).toBe(5);
    expect(await panelOf(c.page).getByRole("button", { name: "Modifier" }).count()).toBe(0);
    expect(await panelOf(c.page).getByRole("button", { name: "Retirer" }).count()).toBe(0);
    await markOf(c.page, first!.id).hover();
    await poll(() => c.page.getByRole("tooltip").textContent()).toContain("Gouvernance multi-acteurs");
    await editorOf(c.page).getByText("Les acteurs décrivent", { exact: false }).click({ clickCount: 3 });
    await c.page.keyboard.press("Control+Shift+E");
    expect(await tagButton(c.page).count()).toBe(0);
    expect(await c.page.getByRole("dialog").count()).toBe(0);

    // Clicking a finding in the panel scrolls to its passage and selects it.
    await panelOf(c.page).getByRole("button", { name: /Aller au passage « L'équipe salariée/ }).click();
    await poll(() => selectedText(c.page)).toBe("L'équipe salariée du PTCE joue un rôle de tiers facilitateur reconnu par tous les membres.");

    await closeClean(c.context);
  });

  it("shows the finding in its matrix cell", async () => {
    const a = await signedInPage(membre);
    await a.page.goto(`/etudes/${studyId}/matrice`);
    await a.page.getByRole("link", { name: /^Gouvernance multi-acteurs × Figeacteurs : 1 / }).click();
    const cell = a.page.getByRole("region", { name: /Gouvernance multi-acteurs/ });
    await poll(() => cell.getByText(FIRST).count()).toBe(1);
    await closeClean(a.context);
  });

  it("lists the finding in the findings browser, whose link opens the report at the passage", async () => {
    const a = await signedInPage(membre);
    await a.page.goto(`/etudes/${studyId}/enseignements`);
    const card = a.page.getByRole("listitem").filter({ has: a.page.getByText(FIRST, { exact: true }) });
    await card.getByRole("link", { name: "Voir le passage dans le compte rendu" }).click();
    await a.page.waitForURL((url) => url.pathname === reportPath && url.hash.startsWith("#enseignement-"));
    await poll(() => selectedText(a.page)).toBe(FIRST);
    await closeClean(a.context);
  });
});
