import type { Editor } from "@tiptap/core";
import type { Browser, BrowserContext, Page, WebSocketRoute } from "playwright-core";
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

export const markOf = (page: Page, id: string) => page.locator(`mark.finding[data-finding-id="${id}"]`);

/** Selects `text` in the editor as a user dragging over it would (the DOM selection, which ProseMirror reads). */
export async function selectText(page: Page, text: string) {
  await editorOf(page).getByText(text, { exact: false }).first().click();
  await page.evaluate((needle) => {
    // The passage may span several text nodes (other findings' marks split it).
    const root = document.querySelector(".report-content")!;
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    const nodes: { node: Node; start: number }[] = [];
    let all = "";
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      nodes.push({ node, start: all.length });
      all += node.textContent;
    }
    const at = all.indexOf(needle);
    if (at === -1) throw new Error(`introuvable : ${needle}`);
    const locate = (offset: number, end: boolean) => {
      const found = nodes.findLast((n) => (end ? n.start < offset : n.start <= offset))!;
      return [found.node, offset - found.start] as const;
    };
    const range = document.createRange();
    range.setStart(...locate(at, false));
    range.setEnd(...locate(at + needle.length, true));
    const selection = window.getSelection()!;
    selection.removeAllRanges();
    selection.addRange(range);
  }, text);
  await poll(() => selectedText(page)).toBe(text);
}

/** The text selected in the editor's own state (Tiptap keeps the editor on its DOM element). */
export function selectedText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const dom = document.querySelector(".report-content") as (Element & { editor?: Editor }) | null;
    const state = dom?.editor?.state;
    return state ? state.doc.textBetween(state.selection.from, state.selection.to) : "";
  });
}

/** The ids of the finding marks covering exactly `text`'s first characters. */
export function findingIdsAt(page: Page, text: string): Promise<string[]> {
  return page.evaluate((needle) => {
    const marks = [...document.querySelectorAll<HTMLElement>(".report-content mark.finding")];
    return [...new Set(marks.filter((m) => m.textContent!.includes(needle)).map((m) => m.dataset.findingId!))];
  }, text);
}

/**
 * Takes the page offline for real, and back: Playwright's `setOffline` alone leaves open
 * websockets working, so the page's websockets go through the test, which closes them when cut
 * and refuses reconnection attempts until restored.
 */
export async function cuttableSockets(page: Page) {
  const open = new Set<{ page: WebSocketRoute; server: WebSocketRoute }>();
  let cut = false;
  await page.routeWebSocket(/\/collab\//, (ws) => {
    if (cut) {
      void ws.close({ code: 1011, reason: "hors ligne" });
      return;
    }
    const pair = { page: ws, server: ws.connectToServer() };
    open.add(pair);
    const closeBoth = () => {
      open.delete(pair);
      void pair.page.close({ code: 1011, reason: "hors ligne" });
      void pair.server.close({ code: 1001, reason: "hors ligne" });
    };
    ws.onClose(closeBoth);
    pair.server.onClose(closeBoth);
  });
  return {
    async cut() {
      cut = true;
      await page.context().setOffline(true);
      await Promise.all(
        [...open].map(async (pair) => {
          await pair.page.close({ code: 1011, reason: "hors ligne" });
          await pair.server.close({ code: 1001, reason: "hors ligne" });
        }),
      );
      open.clear();
    },
    async restore() {
      cut = false;
      await page.context().setOffline(false);
    },
  };
}
