import type { Editor } from "@tiptap/core";
import type { Selection } from "@tiptap/pm/state";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listDocumentVersions } from "../../db/queries/document-versions";
import { upsertMembership } from "../../db/queries/memberships";
import { findUserByEmail } from "../../db/queries/users";
import { DEMO_ACCOUNTS } from "../../db/seed/demo-accounts";
import { loadYDoc } from "../../server/collab/persistence";
import { launchBrowser } from "../helpers/browser";
import { textOf } from "../helpers/collab";
import {
  closeClean,
  cuttableSockets,
  editorOf,
  findDemoReport,
  openReport as openReportAt,
  poll,
  signedInPage as signedInPageAs,
  statusOf,
  type TestContext,
} from "../helpers/report-page";
import { startTestServer, type TestServer } from "../helpers/server";

let server: TestServer;
let browser: Browser;
let reportPath: string;
let reportId: string;
let studyId: string;

const [pilote, membre, lecteur] = DEMO_ACCOUNTS;

beforeAll(async () => {
  [server, browser] = await Promise.all([startTestServer({ demo: true }), launchBrowser()]);
  ({ studyId, reportId, reportPath } = await findDemoReport(server.database.db));
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const signedInPage = (account: { email: string }, prepare?: (page: Page, context: TestContext) => Promise<void>) =>
  signedInPageAs(browser, server.url, account, prepare);

const openReport = (page: Page) => openReportAt(page, reportPath);

async function typeAtEnd(page: Page, text: string) {
  await editorOf(page).click();
  await page.keyboard.press("Control+End");
  // Chromium reports the moved caret (selectionchange) a frame or more later, and ProseMirror
  // splits at the caret it knows: an Enter sent at once would land where the click put the caret.
  await poll(async () => (await editorSelection(page)).caretAtEnd).toBe(true);
  await page.keyboard.press("Enter");
  await page.keyboard.type(text);
}

/** The selection in the editor's own state (Tiptap keeps the editor on its DOM element). */
function editorSelection(page: Page): Promise<{ text: string; caretAtEnd: boolean }> {
  return page.evaluate(() => {
    const dom = document.querySelector(".report-content") as (Element & { editor?: Editor }) | null;
    const state = dom?.editor?.state;
    if (!state) return { text: "", caretAtEnd: false };
    const { selection, doc } = state;
    const end = (selection.constructor as typeof Selection).atEnd(doc);
    return { text: doc.textBetween(selection.from, selection.to), caretAtEnd: selection.empty && selection.from === end.from };
  });
}

/** How many times the report's text, as stored by the server, holds `text`. */
async function storedOccurrences(text: string): Promise<number> {
  const { doc } = await loadYDoc(server.database.db, reportId);
  const occurrences = textOf(doc).split(text).length - 1;
  doc.destroy();
  return occurrences;
}

/** How many updates the page's offline copy (y-indexeddb's `updates` store) holds. */
function storedUpdates(page: Page): Promise<number> {
  return page.evaluate(async () => {
    const databases = await indexedDB.databases();
    const name = databases.map((d) => d.name ?? "").find((n) => n.startsWith("terrain:"));
    if (!name) return 0;
    return new Promise<number>((resolve, reject) => {
      const open = indexedDB.open(name);
      open.onerror = () => reject(open.error);
      open.onsuccess = () => {
        const db = open.result;
        const count = db.transaction("updates", "readonly").objectStore("updates").count();
        count.onerror = () => reject(count.error);
        count.onsuccess = () => {
          resolve(count.result);
          db.close();
        };
      };
    });
  });
}

/** The pilote's and the membre's pages on the report, the membre's sockets cuttable. */
async function piloteAndCuttableMembre() {
  const a = await signedInPage(pilote);
  let sockets!: Awaited<ReturnType<typeof cuttableSockets>>;
  const b = await signedInPage(membre, async (page) => {
    sockets = await cuttableSockets(page);
  });
  await openReport(a.page);
  await openReport(b.page);
  return { a, b, sockets };
}

describe("co-writing a visit report", { timeout: 120_000 }, () => {
  it("shows each writer the other's text and caret, and keeps a lecteur read-only", async () => {
    const a = await signedInPage(pilote);
    const b = await signedInPage(membre);
    await openReport(a.page);
    await openReport(b.page);

    expect(await a.page.getByRole("toolbar", { name: "Mise en forme" }).isVisible()).toBe(true);
    await typeAtEnd(a.page, "Passage écrit par la pilote.");
    await typeAtEnd(b.page, "Passage écrit par le membre.");

    await poll(() => b.page.getByText("Passage écrit par la pilote.").count()).toBe(1);
    await poll(() => a.page.getByText("Passage écrit par le membre.").count()).toBe(1);
    await poll(() => a.page.locator(".collaboration-carets__label", { hasText: membre.name }).count()).toBe(1);
    await poll(() => b.page.locator(".collaboration-carets__label", { hasText: pilote.name }).count()).toBe(1);
    await poll(() => statusOf(a.page).textContent()).toBe("Synchronisé");
    await poll(() => statusOf(b.page).textContent()).toBe("Synchronisé");

    const c = await signedInPage(lecteur);
    await openReport(c.page);
    expect(await c.page.getByRole("toolbar").count()).toBe(0);
    expect(await editorOf(c.page).getAttribute("contenteditable")).toBe("false");
    await editorOf(c.page).click();
    await c.page.keyboard.type("Tentative de la lectrice");
    await poll(() => c.page.getByText("Passage écrit par le membre.").count()).toBe(1);
    expect(await c.page.getByText("Tentative de la lectrice").count()).toBe(0);
    // The lecteur is seen present by the writers.
    await poll(() => a.page.getByRole("list", { name: "Personnes présentes" }).getByTitle(lecteur.name).count()).toBe(1);

    await closeClean(a.context, b.context, c.context);
  });

  it("keeps offline edits and sends them once the connection is back", async () => {
    const { a, b, sockets } = await piloteAndCuttableMembre();

    await sockets.cut();
    await poll(() => statusOf(b.page).textContent()).toBe("Hors ligne — vos modifications seront synchronisées");
    await typeAtEnd(b.page, "Écrit pendant la coupure.");
    expect(await statusOf(b.page).textContent()).toBe("Hors ligne — vos modifications seront synchronisées");

    await sockets.restore();
    await poll(() => statusOf(b.page).textContent()).toBe("Synchronisé");
    await poll(() => editorOf(a.page).getByText("Écrit pendant la coupure.").count()).toBe(1);
    expect(await storedOccurrences("Écrit pendant la coupure.")).toBe(1);

    await closeClean(a.context, b.context);
  });

  it("keeps offline edits in the browser after the tab is closed, and sends them on the next visit", async () => {
    const { a, b, sockets } = await piloteAndCuttableMembre();
    await sockets.cut();
    await poll(() => statusOf(b.page).textContent()).toBe("Hors ligne — vos modifications seront synchronisées");

    const text = "Écrit avant de fermer l'onglet.";
    const before = await storedUpdates(b.page);
    await typeAtEnd(b.page, text);
    // Every keystroke (and the Enter) is one update in the offline copy before the tab goes away.
    await poll(() => storedUpdates(b.page)).toBeGreaterThanOrEqual(before + text.length + 1);
    await b.page.close();
    expect(await a.page.getByText(text).count()).toBe(0);

    await sockets.restore();
    const again = await b.context.newPage();
    await openReport(again);
    // Once, where it was typed (the last paragraph), for the other writer, the new tab and the server.
    // The page may show it a second time outside the editor: the findings panel quotes tagged passages.
    await poll(() => editorOf(a.page).getByText(text).count()).toBe(1);
    expect(await editorOf(a.page).locator(":scope > *").last().textContent()).toBe(text);
    expect(await editorOf(again).getByText(text).count()).toBe(1);
    expect(await storedOccurrences(text)).toBe(1);

    await closeClean(a.context, b.context);
  });

  it("says « Synchronisé » only once the server confirms everything is stored", async () => {
    let holding = true;
    const held: Array<() => void> = [];
    const a = await signedInPage(pilote, async (page) => {
      await page.routeWebSocket(/\/collab\//, (ws) => {
        const upstream = ws.connectToServer();
        upstream.onMessage((message) => {
          const isAck = typeof message !== "string" && message[0] === 100;
          if (isAck && holding) held.push(() => ws.send(message));
          else ws.send(message);
        });
      });
    });
    await a.page.goto(reportPath);
    await poll(() => held.length).toBeGreaterThan(0);
    const heldBeforeTyping = held.length;
    await typeAtEnd(a.page, "En attente de confirmation.");
    await poll(() => held.length).toBeGreaterThan(heldBeforeTyping);
    // The server answered, but its confirmations have not reached the page.
    expect(await statusOf(a.page).textContent()).toBe("Synchronisation…");

    holding = false;
    held.forEach((send) => send());
    await poll(() => statusOf(a.page).textContent()).toBe("Synchronisé");
    await closeClean(a.context);
  });

  it("saves a labelled version and restores it for everyone", async () => {
    const a = await signedInPage(pilote);
    const b = await signedInPage(membre);
    await openReport(a.page);
    await openReport(b.page);

    await typeAtEnd(a.page, "Contenu de la version relue.");
    await poll(() => statusOf(a.page).textContent()).toBe("Synchronisé");
    await a.page.getByRole("link", { name: "Versions" }).click();
    await a.page.getByLabel("Nom de la version").fill("Relue en équipe");
    await a.page.getByRole("button", { name: "Enregistrer une version" }).click();
    const versions = a.page.locator(".versions-list");
    await poll(() => versions.locator("li", { hasText: "Relue en équipe" }).textContent()).toContain(pilote.name);

    await a.page.getByRole("link", { name: "Voir « Relue en équipe »" }).click();
    const preview = a.page.getByRole("region", { name: "Version « Relue en équipe »" });
    await poll(() => preview.getByText("Contenu de la version relue.").count()).toBe(1);

    await typeAtEnd(a.page, "Ajout après la version.");
    await poll(() => b.page.getByText("Ajout après la version.").count()).toBe(1);

    a.page.once("dialog", (dialog) => void dialog.accept());
    await a.page.getByRole("button", { name: "Restaurer « Relue en équipe »" }).click();
    await poll(() => b.page.getByText("Ajout après la version.").count()).toBe(0);
    expect(await b.page.getByText("Contenu de la version relue.").count()).toBe(1);
    await poll(() => a.page.getByText("Ajout après la version.").count()).toBe(0);
    // Restoring first kept the replaced content as a version of its own.
    await poll(() => versions.locator("li").count()).toBeGreaterThanOrEqual(2);

    await closeClean(a.context, b.context);
  });

  it("gives back, and keeps as a version, words typed offline in a passage that a restore replaced", async () => {
    const { a, b, sockets } = await piloteAndCuttableMembre();
    await typeAtEnd(b.page, "Paragraphe du carnet de route.");
    await poll(() => statusOf(b.page).textContent()).toBe("Synchronisé");
    const piloteUser = await findUserByEmail(server.database.db, pilote.email);
    await server.collab.saveVersion(reportId, "Carnet de route", piloteUser!.id);

    await sockets.cut();
    await poll(() => statusOf(b.page).textContent()).toBe("Hors ligne — vos modifications seront synchronisées");
    // The caret is still at the end of the paragraph typed above: the words extend it.
    await b.page.keyboard.type(" Suite écrite dans le train.");
    const [version] = await listDocumentVersions(server.database.db, reportId);
    await server.collab.restoreVersion(reportId, version!.id, piloteUser!.id);

    await sockets.restore();
    const notice = b.page.getByRole("alert").filter({ hasText: "passage supprimé entre-temps" });
    await poll(() => notice.getByLabel("Texte récupéré").textContent()).toBe("Suite écrite dans le train.");
    expect(await notice.textContent()).toContain("conservée dans les versions du document");
    // The restore stands: neither page shows the words in the report any more.
    await poll(() => editorOf(b.page).getByText("Suite écrite dans le train.").count()).toBe(0);
    expect(await editorOf(a.page).getByText("Suite écrite dans le train.").count()).toBe(0);
    await poll(() => statusOf(b.page).textContent()).toBe("Synchronisé");
    await notice.getByRole("button", { name: "Fermer" }).click();
    await poll(() => notice.count()).toBe(0);

    await b.page.getByRole("link", { name: "Versions" }).click();
    const kept = b.page.locator(".versions-list li", { hasText: "Texte récupéré" });
    await poll(() => kept.textContent()).toContain(membre.name);
    await kept.getByRole("link", { name: /^Voir/ }).click();
    await poll(() => b.page.getByRole("region", { name: /^Version « Texte récupéré/ }).getByText("Paragraphe du carnet de route. Suite écrite dans le train.").count()).toBe(1);

    await closeClean(a.context, b.context);
  });

  it("deletes this browser's offline copies when the user logs out", async () => {
    const a = await signedInPage(pilote);
    await openReport(a.page);
    const localCopies = () =>
      a.page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name ?? "").filter((name) => name.startsWith("terrain:")));
    await poll(localCopies).toHaveLength(1);

    await a.page.getByRole("button", { name: "Se déconnecter" }).click();
    await a.page.waitForURL((url) => url.pathname === "/connexion");
    await poll(localCopies).toEqual([]);

    await closeClean(a.context);
  });

  it("formats with the French toolbar, refuses unsafe links and undoes through Yjs", async () => {
    const a = await signedInPage(pilote);
    await openReport(a.page);
    const wordCount = async () => Number((await a.page.locator(".report-editor__count").textContent())!.replace(/\D/g, ""));
    const wordsBefore = await wordCount();
    await typeAtEnd(a.page, "Lien vers le site");
    await poll(wordCount).toBe(wordsBefore + 4);
    await a.page.keyboard.press("Shift+Home");
    // The editor reads the new selection asynchronously: wait for it before the shortcut.
    await poll(async () => (await editorSelection(a.page)).text).toBe("Lien vers le site");
    await a.page.keyboard.press("Control+b");
    await poll(() => editorOf(a.page).locator("strong", { hasText: "Lien vers le site" }).count()).toBe(1);

    a.page.once("dialog", (dialog) => void dialog.accept("javascript:alert(1)"));
    await a.page.getByRole("button", { name: "Lien" }).click();
    await poll(() => a.page.getByRole("alert").textContent()).toContain("Lien refusé");
    expect(await editorOf(a.page).locator("a").count()).toBe(0);

    a.page.once("dialog", (dialog) => void dialog.accept("https://example.org/figeac"));
    await a.page.getByRole("button", { name: "Lien" }).click();
    await poll(() => editorOf(a.page).locator('a[href="https://example.org/figeac"]').textContent()).toBe("Lien vers le site");

    await a.page.keyboard.press("End");
    await a.page.keyboard.press("Enter");
    await a.page.getByRole("button", { name: "Titre 3" }).click();
    await a.page.keyboard.type("Sous-partie ajoutée");
    await poll(() => editorOf(a.page).getByRole("heading", { level: 3, name: "Sous-partie ajoutée" }).count()).toBe(1);

    await a.page.getByRole("button", { name: "Annuler" }).click();
    await poll(() => a.page.getByText("Sous-partie ajoutée").count()).toBe(0);
    await a.page.getByRole("button", { name: "Rétablir" }).click();
    await poll(() => a.page.getByText("Sous-partie ajoutée").count()).toBe(1);

    await closeClean(a.context);
  });

  it("turns the editor read-only when the server says the role changed", async () => {
    const b = await signedInPage(membre);
    await openReport(b.page);
    expect(await b.page.getByRole("toolbar", { name: "Mise en forme" }).isVisible()).toBe(true);

    const user = await findUserByEmail(server.database.db, membre.email);
    await upsertMembership(server.database.db, studyId, user!.id, "lecteur");
    server.collab.membershipChanged(studyId, user!.id);

    await poll(() => b.page.getByRole("toolbar").count()).toBe(0);
    await poll(() => editorOf(b.page).getAttribute("contenteditable")).toBe("false");
    await poll(() => statusOf(b.page).textContent()).toBe("Synchronisé");

    await upsertMembership(server.database.db, studyId, user!.id, "membre");
    await closeClean(b.context);
  });

  it("explains in French why the server closed the connection for good", async () => {
    const cases = [
      { code: 4401, message: "Votre session a expiré : reconnectez-vous." },
      { code: 4426, message: "Une nouvelle version de Terrain est disponible : rechargez la page." },
      { code: 4404, message: "Ce compte rendu n'existe pas ou vous n'y avez plus accès." },
    ];
    for (const { code, message } of cases) {
      const a = await signedInPage(pilote, async (page) => {
        await page.routeWebSocket(/\/collab\//, (ws) => {
          void ws.close({ code, reason: "test" });
        });
      });
      await a.page.goto(reportPath);
      await poll(() => a.page.locator(".collab-problem").getByText(message).count()).toBe(1);
      expect(await a.page.getByRole("toolbar").count()).toBe(0);
      expect(await editorOf(a.page).getAttribute("contenteditable")).toBe("false");
      if (code === 4401) {
        const href = await a.page.getByRole("link", { name: "Se reconnecter" }).getAttribute("href");
        expect(href).toBe(`/connexion?redirectTo=${encodeURIComponent(reportPath)}`);
      }
      await closeClean(a.context);
    }
  });
});
