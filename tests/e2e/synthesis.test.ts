import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { updateMeeting } from "../../db/queries/meetings";
import { DEMO_ACCOUNTS } from "../../db/seed/demo-accounts";
import { launchBrowser } from "../helpers/browser";
import { closeClean, findDemoReport, openReport, poll, selectText, signedInPage as signedInPageAs, statusOf } from "../helpers/report-page";
import { startTestServer, type TestServer } from "../helpers/server";

let server: TestServer;
let browser: Browser;
let reportPath: string;
let studyId: string;

const [pilote, membre, lecteur] = DEMO_ACCOUNTS;

const QUOTE = "Le financement de l'animation reste fragile et dépend d'appels à projets successifs.";
const TRUST = "Les acteurs décrivent une confiance construite sur plusieurs années de projets communs";
const EDITED = "Le financement de l'animation reste précaire et dépend d'appels à projets successifs.";

beforeAll(async () => {
  [server, browser] = await Promise.all([startTestServer({ demo: true, env: { TERRAIN_COLLAB_DERIVE_DEBOUNCE_MS: "50" } }), launchBrowser()]);
  ({ studyId, reportPath } = await findDemoReport(server.database.db));
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const signedInPage = (account: { email: string }) => signedInPageAs(browser, server.url, account);
const synthesisPath = () => `/etudes/${studyId}/synthese`;

async function openSynthesis(page: Page) {
  await page.goto(synthesisPath());
  await poll(() => statusOf(page).textContent()).toBe("Synchronisé");
}

const synthesisText = (page: Page) => page.getByRole("textbox", { name: "Texte de la synthèse" });
const citationBlock = (page: Page) => synthesisText(page).locator("figure.citation");
const panel = (page: Page) => page.getByRole("complementary", { name: "Enseignements" });

/**
 * An HTML5 drag from `source` dropped on the middle of `target`: the page's own dragstart fills
 * the DataTransfer that the drop then carries. Playwright's mouse-driven drag starts no HTML5
 * drag in this headless Chromium, so the events are dispatched as the browser would send them.
 */
async function dragAndDrop(source: Locator, target: Locator) {
  const box = (await target.boundingBox())!;
  const dataTransfer = await source.page().evaluateHandle(() => new DataTransfer());
  await source.dispatchEvent("dragstart", { dataTransfer });
  const at = { clientX: box.x + box.width / 2, clientY: box.y + box.height / 2 };
  await target.dispatchEvent("dragover", { dataTransfer, ...at });
  await target.dispatchEvent("drop", { dataTransfer, ...at });
  await source.dispatchEvent("dragend", { dataTransfer });
}

function findingQuote(quoteStart: string) {
  return server.database.db
    .selectFrom("findings")
    .select("quote")
    .where("study_id", "=", studyId)
    .where("quote", "like", `${quoteStart}%`)
    .executeTakeFirst()
    .then((row) => row?.quote ?? null);
}

describe("citing findings in the synthesis", { timeout: 180_000 }, () => {
  it("cites a finding, flags its edited source, updates it in one click for every collaborator, and exports the DOCX", async () => {
    const a = await signedInPage(membre);
    await openSynthesis(a.page);
    await expect.poll(() => synthesisText(a.page).textContent()).toContain("Partenaires financeurs");

    // The panel: the factor with its count and its count per dynamic; its findings on demand.
    const factor = panel(a.page).getByRole("button", { name: /^Ingénierie de soutien/ });
    await expect.poll(() => factor.textContent()).toBe("Ingénierie de soutien 3");
    await expect.poll(() => factor.locator("xpath=..").textContent()).toContain("Figeacteurs (3)");
    await factor.click();
    const cite = panel(a.page).getByRole("button", { name: /^Citer « Le financement de l'animation/ });
    await cite.waitFor();

    await synthesisText(a.page).getByText("Conclusion").click();
    await a.page.keyboard.press("Control+End");
    await cite.click();

    const block = citationBlock(a.page);
    await poll(() => block.locator("blockquote").textContent()).toBe(QUOTE);
    await poll(() => block.locator("figcaption").textContent()).toMatch(/^Figeacteurs · Rencontre territoriale à Figeac · \d+ \S+ \d{4}$/);
    const link = block.getByRole("link", { name: "Voir dans le compte rendu" });
    expect(await link.getAttribute("href")).toMatch(new RegExp(`^/etudes/${studyId}/visites/[0-9a-f-]+/compte-rendu#enseignement-`));
    expect(await block.textContent()).not.toContain("Source modifiée");

    // A second collaborator (here a lecteur) sees the block arrive.
    const b = await signedInPage(lecteur);
    await openSynthesis(b.page);
    await poll(() => citationBlock(b.page).locator("blockquote").textContent()).toBe(QUOTE);

    // Someone edits the source passage in the Figeac report.
    const r = await signedInPage(pilote);
    await openReport(r.page, reportPath);
    await selectText(r.page, "fragile");
    await r.page.keyboard.type("précaire");
    await poll(() => findingQuote("Le financement de l'animation")).toBe(EDITED);

    // The synthesis says so (refreshed when the window regains focus) with the new text.
    await poll(async () => {
      await a.page.evaluate(() => window.dispatchEvent(new Event("focus")));
      return block.textContent();
    }).toContain("Source modifiée");
    expect(await block.textContent()).toContain(`« ${EDITED} »`);
    expect(await block.locator("blockquote").textContent()).toBe(QUOTE);
    // The reader sees the status too, without the button.
    await poll(async () => {
      await b.page.evaluate(() => window.dispatchEvent(new Event("focus")));
      return citationBlock(b.page).textContent();
    }).toContain("Source modifiée");
    expect(await citationBlock(b.page).getByRole("button", { name: "Mettre à jour la citation" }).count()).toBe(0);

    await block.getByRole("button", { name: "Mettre à jour la citation" }).click();
    await poll(() => block.locator("blockquote").textContent()).toBe(EDITED);
    await poll(() => block.textContent()).not.toContain("Source modifiée");

    // The other client receives the updated block, and its status clears as well.
    await poll(() => citationBlock(b.page).locator("blockquote").textContent()).toBe(EDITED);
    await poll(() => citationBlock(b.page).textContent()).not.toContain("Source modifiée");

    // The visit is renamed: the block's source is out of date too, and one click brings it up to date.
    const meetingId = reportPath.split("/")[4]!;
    await updateMeeting(server.database.db, studyId, meetingId, { title: "Rencontre des Figeacteurs" });
    await poll(async () => {
      await a.page.evaluate(() => window.dispatchEvent(new Event("focus")));
      return block.textContent();
    }).toContain("Source modifiée");
    expect(await block.textContent()).toMatch(/Nouvelle source : Figeacteurs · Rencontre des Figeacteurs · \d+ \S+ \d{4}/);
    expect(await block.textContent()).not.toContain("Nouveau texte");
    await block.getByRole("button", { name: "Mettre à jour la citation" }).click();
    await poll(() => block.locator("figcaption").textContent()).toMatch(/^Figeacteurs · Rencontre des Figeacteurs · /);
    await poll(() => block.textContent()).not.toContain("Source modifiée");

    // A finding dragged from the panel onto a line lands as a block after that line.
    await panel(a.page)
      .getByRole("button", { name: /^Confiance mutuelle/ })
      .click();
    const trust = panel(a.page).locator("li.synthesis-finding").filter({ hasText: "Les acteurs décrivent une confiance" });
    await trust.waitFor();
    await dragAndDrop(trust, synthesisText(a.page).getByText("Introduction"));
    await poll(() => citationBlock(a.page).count()).toBe(2);
    await poll(() => citationBlock(a.page).first().locator("blockquote").textContent()).toBe(TRUST);

    // The synthesis as exported: the DOCX download is named after the study and the day.
    const download = a.page.waitForEvent("download");
    await a.page.getByRole("link", { name: "Word (.docx)" }).click();
    expect((await download).suggestedFilename()).toMatch(
      /^synthese-dynamiques-collectives-de-transitions-dans-les-territoires-\d{4}-\d{2}-\d{2}\.docx$/
    );

    await closeClean(a.context, b.context, r.context);
  });

  it("warns when the cited passage is deleted from the report, and when the finding itself is removed", async () => {
    const a = await signedInPage(membre);
    await openSynthesis(a.page);
    const block = citationBlock(a.page).filter({ hasText: TRUST });
    await poll(() => block.locator("blockquote").textContent()).toBe(TRUST);
    const refreshed = async () => {
      await a.page.evaluate(() => window.dispatchEvent(new Event("focus")));
      return block.textContent();
    };

    const r = await signedInPage(pilote);
    await openReport(r.page, reportPath);
    await selectText(r.page, TRUST);
    await r.page.keyboard.press("Backspace");
    await poll(refreshed).toContain("Le passage source a été supprimé du compte rendu");
    expect(await block.getByRole("button", { name: "Mettre à jour la citation" }).count()).toBe(0);

    // Undone in the report: the block is back to normal.
    await r.page.keyboard.press("Control+z");
    await poll(refreshed).not.toContain("Le passage source a été supprimé");

    // The finding removed from the report: the block keeps its quote and says so.
    r.page.once("dialog", (confirm) => void confirm.accept());
    const item = r.page
      .getByRole("complementary", { name: /Enseignements/ })
      .getByRole("listitem")
      .filter({ hasText: TRUST });
    await item.getByRole("button", { name: "Retirer" }).click();
    await poll(refreshed).toContain("Enseignement supprimé");
    expect(await block.locator("blockquote").textContent()).toBe(TRUST);
    expect(await block.getByRole("link", { name: "Voir dans le compte rendu" }).count()).toBe(0);

    await closeClean(a.context, r.context);
  });
});
