import axe from "axe-core";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PASSWORD } from "../../db/seed/demo-accounts";
import { browserForFile, loginAs, newContext } from "../helpers/browser";
import { findDemoReport, type TestContext } from "../helpers/report-page";
import { testServerForFile } from "../helpers/server";

const server = testServerForFile({ demo: true });
const browser = browserForFile();

/** WCAG 2.1 levels A and AA, the level French public bodies (RGAA) and their partners are held to. */
const WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

/** What axe-core finds on the page as it stands, one line per rule broken: rule, impact, where. */
async function violations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: axe.source });
  const found = await page.evaluate(
    (tags) => (window as unknown as { axe: typeof axe }).axe.run(document, { runOnly: tags }),
    WCAG_AA,
  );
  return found.violations.map((v) => `${v.id} (${v.impact}) : ${v.nodes.map((n) => n.target.join(" ")).join(" ; ")}`);
}

/** The demo study's pages, by what they show; resolved once the demo's ids are known. */
type Paths = { study: string; dynamic: string; visit: string; report: string };
const PAGES: [string, (p: Paths) => string][] = [
  ["la liste des études", () => "/etudes"],
  ["le tableau de bord", (p) => p.study],
  ...["dynamiques", "visites", "enseignements", "matrice", "recherche", "synthese", "equipe", "grille", "typologie"].map(
    (tab): [string, (p: Paths) => string] => [`l'onglet ${tab}`, (p) => `${p.study}/${tab}`],
  ),
  ["une dynamique", (p) => p.dynamic],
  ["une visite", (p) => p.visit],
  ["un compte rendu", (p) => p.report],
  ["les versions d'un compte rendu", (p) => `${p.report}/versions`],
  ["la provenance de la synthèse", (p) => `${p.study}/synthese/provenance`],
  ["les versions de la synthèse", (p) => `${p.study}/synthese/versions`],
  ["le profil", () => "/profil"],
];

describe("accessibility of the demo study (axe-core, WCAG 2.1 AA)", () => {
  let context: TestContext;
  let page: Page;
  let paths: Paths;

  beforeAll(async () => {
    const { studyId, reportPath } = await findDemoReport(server().database.db);
    const dynamic = await server()
      .database.db.selectFrom("dynamics")
      .select("id")
      .where("name", "=", "Figeacteurs")
      .executeTakeFirstOrThrow();
    const study = `/etudes/${studyId}`;
    paths = { study, dynamic: `${study}/dynamiques/${dynamic.id}`, visit: reportPath.replace(/\/compte-rendu$/, ""), report: reportPath };
    context = await newContext(browser(), server().url);
    page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await loginAs(page, "pilote@example.org", DEMO_PASSWORD);
  });
  afterAll(async () => {
    expect(context.pageErrors).toEqual([]);
    await context.close();
  });

  it("finds nothing broken on the login page", async () => {
    const visitor = await newContext(browser(), server().url);
    const login = await visitor.newPage();
    await login.goto("/connexion");
    expect(await violations(login)).toEqual([]);
    expect(visitor.pageErrors).toEqual([]);
    await visitor.close();
  });

  it.each(PAGES)("finds nothing broken on %s", async (_, path) => {
    // The editors and panels render after hydration: scan the page at rest.
    await page.goto(path(paths), { waitUntil: "networkidle" });
    expect(await violations(page)).toEqual([]);
  });

  it("finds nothing broken in a report's toolbar once the caret is in a table (its own buttons)", async () => {
    await page.goto(paths.report, { waitUntil: "networkidle" });
    await page.getByText("Synchronisé").waitFor();
    await page.locator(".ProseMirror h2").first().click();
    await page.getByRole("button", { name: "Tableau" }).click();
    await page.getByRole("button", { name: /Ajouter une ligne/ }).waitFor();
    expect(await violations(page)).toEqual([]);
  });
});
