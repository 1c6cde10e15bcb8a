import { describe, expect, it } from "vitest";
import { insertStudySynthesisIfMissing } from "../../db/queries/documents";
import { DEMO_ACCOUNTS } from "../../db/seed/demo-accounts";
import { browserForFile } from "../helpers/browser";
import { closeClean, editorOf, findDemoReport, openReport, poll, signedInPage, statusOf } from "../helpers/report-page";
import { testServerForFile } from "../helpers/server";

const server = testServerForFile({ demo: true });
const browser = browserForFile();
const today = () => new Date().toISOString().slice(0, 10);

/** What printing leaves of the application around the document: nothing visible. */
const CHROME = [".topbar", ".tabs", ".toolbar", ".report-editor__bar", ".export-links", ".findings-panel"];

describe("exporting and printing a report in the browser", { timeout: 120_000 }, () => {
  it("offers the exports in the report header, downloads under a clear name, prints only the document", async () => {
    const { reportPath } = await findDemoReport(server().database.db);
    const { page, context } = await signedInPage(browser(), server().url, DEMO_ACCOUNTS[1]);
    await openReport(page, reportPath);

    const exports = page.getByRole("navigation", { name: "Exporter le document" });
    expect(await exports.textContent()).toBe("Exporter : Word (.docx) · Markdown · Imprimer / PDF");
    expect(await exports.getByRole("link", { name: "Word (.docx)" }).getAttribute("href")).toBe(`${reportPath}/docx`);
    const [download] = await Promise.all([page.waitForEvent("download"), exports.getByRole("link", { name: "Markdown" }).click()]);
    expect(download.suggestedFilename()).toBe(`compte-rendu-rencontre-territoriale-a-figeac-${today()}.md`);

    // « Imprimer / PDF » opens the browser's print dialog (stubbed: headless Chromium has none).
    await page.evaluate(() => {
      (window as unknown as { printed: number }).printed = 0;
      window.print = () => void (window as unknown as { printed: number }).printed++;
    });
    await exports.getByRole("button", { name: "Imprimer / PDF" }).click();
    await poll(() => page.evaluate(() => (window as unknown as { printed: number }).printed)).toBe(1);

    for (const selector of CHROME) expect(await page.locator(selector).first().isVisible(), selector).toBe(true);
    await page.screenshot({ path: `${process.env.TMPDIR ?? "/tmp"}/terrain-compte-rendu-exports.png` });
    await page.emulateMedia({ media: "print" });
    for (const selector of CHROME) expect(await page.locator(selector).first().isVisible(), selector).toBe(false);
    expect(await editorOf(page).isVisible()).toBe(true);
    expect(await page.getByRole("heading", { name: "Gouvernance et coopération" }).isVisible()).toBe(true);
    const looks = await page.evaluate(() => {
      const style = (selector: string) => getComputedStyle(document.querySelector(selector)!);
      return {
        mark: style(".report-content mark.finding").backgroundColor,
        heading: style(".report-content h2").breakAfter,
      };
    });
    // Findings print as plain text; headings stay with what follows.
    expect(looks).toEqual({ mark: "rgba(0, 0, 0, 0)", heading: "avoid" });
    await page.screenshot({ path: `${process.env.TMPDIR ?? "/tmp"}/terrain-compte-rendu-impression.png`, fullPage: true });
    const pdf = await page.pdf({ format: "A4" });
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");

    await closeClean(context);
  });
});

describe("printing the synthesis", { timeout: 120_000 }, () => {
  it("keeps the text and its citation blocks, drops the findings panel and the actions", async () => {
    const db = server().database.db;
    const { studyId, reportId } = await findDemoReport(db);
    const finding = await db.selectFrom("findings").select(["id", "quote"]).where("document_id", "=", reportId).orderBy("seq").executeTakeFirstOrThrow();
    const synthesis = await insertStudySynthesisIfMissing(db, studyId);
    await server().collab.initializeDocument(synthesis!.id, {
      type: "doc",
      content: [
        { type: "heading", attrs: { level: 1 }, content: [{ type: "text", text: "Synthèse imprimée" }] },
        { type: "citation", attrs: { findingId: finding.id, quote: finding.quote, source: "Figeacteurs" } },
      ],
    });
    const { page, context } = await signedInPage(browser(), server().url, DEMO_ACCOUNTS[1]);
    await page.goto(`/etudes/${studyId}/synthese`);
    await poll(() => statusOf(page).textContent()).toBe("Synchronisé");
    const citation = page.locator("figure.citation").first();
    await poll(() => citation.textContent()).toContain(finding.quote);
    const chrome = [".synthesis-panel", ".synthesis-header__actions", ".toolbar", ".tabs", ".citation__link"];
    for (const selector of chrome) expect(await page.locator(selector).first().isVisible(), selector).toBe(true);

    await page.emulateMedia({ media: "print" });
    for (const selector of chrome) expect(await page.locator(selector).first().isVisible(), selector).toBe(false);
    expect(await page.getByRole("heading", { name: "Synthèse imprimée" }).isVisible()).toBe(true);
    expect(await citation.isVisible()).toBe(true);
    expect(await citation.evaluate((el) => getComputedStyle(el).breakInside)).toBe("avoid");
    await page.screenshot({ path: `${process.env.TMPDIR ?? "/tmp"}/terrain-synthese-impression.png`, fullPage: true });
    await closeClean(context);
  });
});
