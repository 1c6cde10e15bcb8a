import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { DEMO_ACCOUNTS } from "../../db/seed/demo-accounts";
import { browserForFile } from "../helpers/browser";
import {
  closeClean,
  cuttableSockets,
  findDemoReport,
  findingIdsAt,
  markOf,
  openReport,
  poll,
  selectText,
  signedInPage as signedInPageAs,
  statusOf,
} from "../helpers/report-page";
import { testServerForFile } from "../helpers/server";

const server = testServerForFile({ demo: true });
const browser = browserForFile();
let reportPath: string;
let studyId: string;

const [pilote, membre] = DEMO_ACCOUNTS;

beforeAll(async () => {
  ({ studyId, reportPath } = await findDemoReport(server().database.db));
});

const OFFLINE = "Hors ligne — vos modifications seront synchronisées";
const PASSAGE = "Le lien entre insertion et besoins de l'économie locale est au cœur du projet";

function findingRow(id: string) {
  return server().database.db.selectFrom("findings").selectAll().where("id", "=", id).executeTakeFirst();
}

/** The findings browser's card quoting `quote`, as a user reloading the page would see it. */
async function browserCard(page: Page, quote: string) {
  await page.goto(`/etudes/${studyId}/enseignements`);
  const card = page.locator(".finding-card").filter({ has: page.getByText(quote, { exact: true }) });
  return (await card.count()) === 0 ? null : card.innerText();
}

describe("tagging a finding while offline", { timeout: 180_000 }, () => {
  it("keeps the finding in the offline page, and delivers it to SQLite and everyone once back online", async () => {
    let sockets!: Awaited<ReturnType<typeof cuttableSockets>>;
    const a = await signedInPageAs(browser(), server().url, membre, async (page) => {
      sockets = await cuttableSockets(page);
    });
    const b = await signedInPageAs(browser(), server().url, pilote);
    await openReport(a.page, reportPath);
    await openReport(b.page, reportPath);
    const findingsPage = await b.context.newPage();
    expect(await browserCard(findingsPage, PASSAGE)).toBeNull();

    await sockets.cut();
    await poll(() => statusOf(a.page).textContent()).toBe(OFFLINE);

    await selectText(a.page, PASSAGE);
    await a.page.getByRole("button", { name: "Marquer comme enseignement" }).click();
    const dialog = a.page.getByRole("dialog", { name: "Marquer comme enseignement" });
    await dialog.getByLabel("Type d'enseignement").selectOption({ label: "Levier" });
    await dialog.getByRole("combobox", { name: "Facteurs" }).fill("vision");
    await dialog.getByRole("option", { name: "Vision partagée" }).click();
    await dialog.getByRole("button", { name: "Enregistrer" }).click();
    await poll(() => dialog.count()).toBe(0);

    // Highlighted at once in the offline page, still offline.
    await poll(() => findingIdsAt(a.page, PASSAGE).then((ids) => ids.length)).toBe(1);
    const [id] = await findingIdsAt(a.page, PASSAGE);
    await poll(() => markOf(a.page, id!).count()).toBeGreaterThan(0);
    expect(await statusOf(a.page).textContent()).toBe(OFFLINE);

    // Nobody else has it: not the server's database, not the other page, not the findings browser.
    expect(await findingRow(id!)).toBeUndefined();
    expect(await markOf(b.page, id!).count()).toBe(0);
    expect(await browserCard(findingsPage, PASSAGE)).toBeNull();

    await sockets.restore();
    await poll(() => statusOf(a.page).textContent()).toBe("Synchronisé");

    await poll(() => markOf(b.page, id!).count()).toBeGreaterThan(0);
    await poll(async () => (await findingRow(id!))?.quote).toBe(PASSAGE);
    expect((await findingRow(id!))?.kind).toBe("levier");
    await poll(() => browserCard(findingsPage, PASSAGE)).toContain("Vision partagée");
    const card = (await browserCard(findingsPage, PASSAGE))!;
    expect(card).toContain(PASSAGE);
    expect(card).toContain("Levier");
    expect(card).toContain("Vision partagée");
    expect(card).toContain("Figeacteurs");
    expect(card).toContain(membre.name);

    await closeClean(a.context, b.context);
  });
});
