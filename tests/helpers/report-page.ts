import type { Browser, BrowserContext, Page } from "playwright-core";
import { expect } from "vitest";
import type { DB } from "../../db/client";
import { DEMO_PASSWORD } from "../../db/seed/demo-accounts";
import { loginAs, newContext } from "./browser";

/** Browser tests of the demo Figeac report: where it is, who opens it, how to wait for it. */

export type TestContext = BrowserContext & { pageErrors: string[] };

export async function findDemoReport(db: DB) {
  const meeting = await db
    .selectFrom("meetings")
    .select(["id", "study_id"])
    .where("title", "like", "%Figeac%")
    .executeTakeFirstOrThrow();
  const report = await db
    .selectFrom("documents")
    .select("id")
    .where("meeting_id", "=", meeting.id)
    .where("kind", "=", "report")
    .executeTakeFirstOrThrow();
  return {
    studyId: meeting.study_id,
    reportId: report.id,
    reportPath: `/etudes/${meeting.study_id}/visites/${meeting.id}/compte-rendu`,
  };
}

/** A fresh browser context logged in as a demo account; `prepare` runs before the login (routes, init scripts). */
export async function signedInPage(
  browser: Browser,
  baseUrl: string,
  account: { email: string },
  prepare?: (page: Page, context: TestContext) => Promise<void>,
) {
  const context = await newContext(browser, baseUrl);
  const page = await context.newPage();
  await prepare?.(page, context);
  await loginAs(page, account.email, DEMO_PASSWORD);
  return { page, context };
}

/** The machine is shared and slow under load: allow time for websockets and rendering. */
export const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 15_000, interval: 100 });

export async function closeClean(...contexts: TestContext[]) {
  for (const context of contexts) expect(context.pageErrors).toEqual([]);
  await Promise.all(contexts.map((context) => context.close()));
}

export const editorOf = (page: Page) => page.getByRole("textbox", { name: "Texte du compte rendu" });
/** The connection status, or the message replacing it when the server closed for good. */
export const statusOf = (page: Page) => page.locator(".report-editor__bar").locator('[role="status"], [role="alert"]').first();

export async function openReport(page: Page, reportPath: string) {
  await page.goto(reportPath);
  await poll(() => statusOf(page).textContent()).toBe("Synchronisé");
}
