import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_ACCOUNTS } from "../../db/seed/demo-accounts";
import { launchBrowser } from "../helpers/browser";
import { closeClean, findDemoReport, poll, signedInPage, statusOf } from "../helpers/report-page";
import { startTestServer, type TestServer } from "../helpers/server";

let server: TestServer;
let browser: Browser;
let studyId: string;

const [, membre, lecteur] = DEMO_ACCOUNTS;

beforeAll(async () => {
  [server, browser] = await Promise.all([startTestServer({ demo: true, env: { TERRAIN_COLLAB_DERIVE_DEBOUNCE_MS: "50" } }), launchBrowser()]);
  ({ studyId } = await findDemoReport(server.database.db));
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const synthesisText = (page: Page) => page.getByRole("textbox", { name: "Texte de la synthèse" });

async function openSynthesis(page: Page) {
  await page.goto(`/etudes/${studyId}/synthese`);
  await poll(() => statusOf(page).textContent()).toBe("Synchronisé");
  await poll(() => synthesisText(page).textContent()).toContain("Conclusion");
}

/**
 * The synthesis's top-level blocks as a reader sees them: a heading or paragraph by its text (without
 * the other collaborators' carets), a citation by its quote.
 */
const blocksOf = (page: Page) =>
  synthesisText(page).evaluate((root) =>
    [...root.children].map((block) => {
      const quote = block.querySelector("figure.citation blockquote");
      if (quote) return `citation:${quote.textContent}`;
      const text = block.cloneNode(true) as Element;
      text.querySelectorAll(".collaboration-carets__caret").forEach((caret) => caret.remove());
      return `${block.tagName.toLowerCase()}:${text.textContent}`;
    }),
  );

describe("« Générer un plan » in the synthesis", { timeout: 180_000 }, () => {
  it("appends the draft after what was written, for every collaborator, and one Ctrl+Z takes it back", async () => {
    const a = await signedInPage(browser, server.url, membre);
    await openSynthesis(a.page);
    await synthesisText(a.page).getByText("Conclusion").click();
    await a.page.keyboard.press("Control+End");
    await a.page.keyboard.type("Notre conclusion provisoire.");
    await poll(async () => (await blocksOf(a.page)).at(-1)).toBe("p:Notre conclusion provisoire.");
    const before = await blocksOf(a.page);

    const b = await signedInPage(browser, server.url, lecteur);
    await openSynthesis(b.page);
    // The reader cannot generate a plan.
    expect(await b.page.getByRole("button", { name: "Générer un plan" }).count()).toBe(0);

    // While the plan loads the button waits; a failure says so in French and changes nothing.
    let answer: (status: number) => void = () => {};
    await a.page.route("**/synthese/plan", async (route) => {
      const status = await new Promise<number>((done) => (answer = done));
      await route.fulfill({ status, body: "" });
    });
    await a.page.getByRole("button", { name: "Générer un plan" }).click();
    const waiting = a.page.getByRole("button", { name: "Génération du plan…" });
    await poll(() => waiting.isDisabled()).toBe(true);
    answer(500);
    await poll(() => a.page.getByRole("alert").filter({ hasText: "Le plan n'a pas pu être généré" }).count()).toBe(1);
    expect(await blocksOf(a.page)).toEqual(before);
    // The browser logs the failed request: expected here, and only it.
    await poll(() => a.context.pageErrors.length).toBe(1);
    expect(a.context.pageErrors.splice(0)).toEqual([expect.stringContaining("500")]);
    await a.page.unroute("**/synthese/plan");

    await a.page.getByRole("button", { name: "Générer un plan" }).click();
    await poll(async () => (await blocksOf(a.page)).length).toBeGreaterThan(before.length);
    expect(await a.page.getByRole("alert").filter({ hasText: "Le plan n'a pas pu être généré" }).count()).toBe(0);
    const after = await blocksOf(a.page);
    // Nothing written is replaced: the plan follows it.
    expect(after.slice(0, before.length)).toEqual(before);
    const plan = after.slice(before.length);
    expect(plan[0]).toMatch(/^h1:Plan généré le \d{1,2} \S+ \d{4} à \d{2}:\d{2}$/);
    expect(plan.slice(1, 6)).toEqual([
      "h2:Engager",
      "h3:Facilitateur",
      "p:Une personne ou une structure tierce reconnue qui anime la coopération.",
      "p:Observé dans 1 dynamique (type : Pôle territorial de coopération économique (PTCE)).",
      "citation:L'équipe salariée du PTCE joue un rôle de tiers facilitateur reconnu par tous les membres.",
    ]);
    expect(plan).toContain("h2:Propositions");
    expect(plan).toContain("h3:Partenaires financeurs");
    expect(plan.filter((block) => block.startsWith("citation:"))).toHaveLength(5);
    // The citation blocks are live ones: source and link back to the passage.
    const citation = synthesisText(a.page).locator("figure.citation").first();
    expect(await citation.locator("figcaption").textContent()).toBe("Figeacteurs · Rencontre territoriale à Figeac · 8 novembre 2018");
    expect(await citation.getByRole("link", { name: "Voir dans le compte rendu" }).getAttribute("href")).toMatch(
      new RegExp(`^/etudes/${studyId}/visites/[0-9a-f-]+/compte-rendu#enseignement-`),
    );

    // The other collaborator receives it.
    await poll(() => blocksOf(b.page)).toEqual(after);

    // One undo removes the plan and only the plan (the sentence typed just before stays).
    await a.page.keyboard.press("Control+z");
    await poll(() => blocksOf(a.page)).toEqual(before);
    await poll(() => blocksOf(b.page)).toEqual(before);

    await closeClean(a.context, b.context);
  });
});
