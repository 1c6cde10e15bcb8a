import { afterAll, beforeAll, expect, test } from "vitest";
import type * as decoding from "lib0/decoding";
import type * as Y from "yjs";
import { plainText } from "../../app/editor/plain-text";
import { encodeAckRequest, MESSAGE_TERRAIN, readTerrainMessage } from "../../app/editor/collab-protocol";
import { listDocumentVersions } from "../../db/queries/document-versions";
import { CONTENT_FIELD } from "../../server/collab/persistence";
import {
  appendParagraph,
  collabClientsForFile,
  sessionCookieHeader,
  textOf,
  waitForSync,
  type CollabClient,
} from "../helpers/collab";
import { createMeeting, createStudyWithTeam } from "../helpers/factories";
import { startTestServer, type TestServer } from "../helpers/server";

let server: TestServer;
const open = collabClientsForFile();

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

const RECOVERED = "Texte récupéré : écrit dans un passage supprimé entre-temps";

/** The text of the document's n-th paragraph, as the editor would type into it. */
const paragraphText = (doc: Y.Doc, n: number) => (doc.getXmlFragment(CONTENT_FIELD).get(n) as Y.XmlElement).get(0) as Y.XmlText;

/** Types at the end of the n-th paragraph while the client is cut off from the server. */
function typeOffline(client: CollabClient, n: number, text: string) {
  const target = paragraphText(client.doc, n);
  client.doc.transact(() => target.insert(target.length, text));
}

/** Makes the official client speak Terrain's type 100 as a Terrain tab does, recording what it hears. */
function speakTerrain(client: CollabClient): string[] {
  const notices: string[] = [];
  client.provider.messageHandlers[MESSAGE_TERRAIN] = (_encoder, decoder: decoding.Decoder) => {
    const message = readTerrainMessage(decoder);
    if (message.kind === "recovered") notices.push(message.text);
  };
  client.provider.on("status", ({ status }: { status: string }) => {
    if (status === "connected") client.provider.ws!.send(encodeAckRequest(1));
  });
  return notices;
}

async function recoveredVersions(documentId: string) {
  const versions = await listDocumentVersions(server.database.db, documentId);
  return versions.filter((v) => v.label === RECOVERED);
}

async function teamOnReport() {
  const db = server.database.db;
  const { study, pilote, membre } = await createStudyWithTeam(db);
  const { report } = await createMeeting(db, study.id);
  const writer = open(server.url, report.id, await sessionCookieHeader(db, pilote.id));
  const traveller = open(server.url, report.id, await sessionCookieHeader(db, membre.id));
  await Promise.all([waitForSync(writer), waitForSync(traveller)]);
  return { report, pilote, membre, writer, traveller };
}

test("words typed offline into a paragraph that a restore replaced come back as a version, in their paragraph", async () => {
  const { report, pilote, membre, writer, traveller } = await teamOnReport();
  appendParagraph(writer.doc, "Texte initial.");
  await expect.poll(() => textOf(traveller.doc)).toBe("Texte initial.");
  await server.collab.saveVersion(report.id, "Point de départ", pilote.id);
  appendParagraph(writer.doc, "Deuxième paragraphe.");
  await expect.poll(() => textOf(traveller.doc)).toBe("Texte initial.\n\nDeuxième paragraphe.");

  traveller.provider.disconnect();
  typeOffline(traveller, 0, " Ajout écrit dans le train.");
  const [start] = await listDocumentVersions(server.database.db, report.id);
  await server.collab.restoreVersion(report.id, start!.id, pilote.id);
  await expect.poll(() => textOf(writer.doc)).toBe("Texte initial.");

  traveller.provider.connect();
  // The restore stands for everyone, the traveller included: their paragraph is gone...
  await expect.poll(() => textOf(traveller.doc)).toBe("Texte initial.");
  // ...but their words are kept, in the paragraph they were typed in, in a version of their own.
  await expect.poll(() => recoveredVersions(report.id)).toHaveLength(1);
  const [recovered] = await recoveredVersions(report.id);
  expect(recovered).toMatchObject({ created_by: membre.id, automatic: 0 });
  const content = await server.collab.versionContent(report.id, recovered!.id);
  expect(plainText(content!)).toBe("Texte initial. Ajout écrit dans le train.\n\nDeuxième paragraphe.");
  expect(textOf(writer.doc)).toBe("Texte initial.");
});

test("words typed offline into a paragraph a collaborator deleted are kept, and the author's Terrain tab gets them back", async () => {
  const { report, membre, writer, traveller } = await teamOnReport();
  const notices = speakTerrain(traveller);
  appendParagraph(writer.doc, "Brouillon à reprendre.");
  appendParagraph(writer.doc, "Conclusion.");
  await expect.poll(() => textOf(traveller.doc)).toBe("Brouillon à reprendre.\n\nConclusion.");

  traveller.provider.disconnect();
  typeOffline(traveller, 0, " Suite hors ligne.");
  // Typed then erased offline: not text anyone would want back.
  typeOffline(traveller, 0, " xyz");
  const draft = paragraphText(traveller.doc, 0);
  traveller.doc.transact(() => draft.delete(draft.length - 4, 4));
  // Typed into a paragraph that nobody deletes: it simply arrives.
  typeOffline(traveller, 1, " Signé : M.");
  writer.doc.transact(() => writer.doc.getXmlFragment(CONTENT_FIELD).delete(0, 1));
  await expect.poll(() => textOf(writer.doc)).toBe("Conclusion.");

  traveller.provider.connect();
  await expect.poll(() => textOf(writer.doc)).toBe("Conclusion. Signé : M.");
  await expect.poll(() => notices).toEqual(["Suite hors ligne."]);
  const [recovered] = await recoveredVersions(report.id);
  expect(recovered).toMatchObject({ created_by: membre.id });
  // No earlier version shows that paragraph: the text follows the current document instead.
  const content = plainText((await server.collab.versionContent(report.id, recovered!.id))!);
  expect(content).toBe("Conclusion. Signé : M.\n\nTexte récupéré, écrit dans un passage supprimé entre-temps :\n\nSuite hors ligne.");
});

test("ordinary editing, offline or not, keeps no recovered version", async () => {
  const { report, writer, traveller } = await teamOnReport();
  appendParagraph(writer.doc, "Un paragraphe.");
  appendParagraph(writer.doc, "Brouillon.");
  await expect.poll(() => textOf(traveller.doc)).toBe("Un paragraphe.\n\nBrouillon.");
  traveller.provider.disconnect();
  typeOffline(traveller, 0, " Complété hors ligne.");
  const own = paragraphText(traveller.doc, 0);
  traveller.doc.transact(() => own.delete(0, 3));
  writer.doc.transact(() => paragraphText(writer.doc, 0).insert(0, "Déjà "));
  traveller.provider.connect();
  await expect.poll(() => textOf(writer.doc)).toBe("Déjà paragraphe. Complété hors ligne.\n\nBrouillon.");
  await expect.poll(() => textOf(traveller.doc)).toBe("Déjà paragraphe. Complété hors ligne.\n\nBrouillon.");

  // A stranded text afterwards, from the same writer: its version is written after any the
  // ordinary edits could have caused, so once it is there, it must be the only one.
  traveller.provider.disconnect();
  typeOffline(traveller, 1, " Sentinelle.");
  writer.doc.transact(() => writer.doc.getXmlFragment(CONTENT_FIELD).delete(1, 1));
  traveller.provider.connect();
  await expect.poll(() => recoveredVersions(report.id)).toHaveLength(1);
  const [only] = await recoveredVersions(report.id);
  const content = plainText((await server.collab.versionContent(report.id, only!.id))!);
  expect(content).toBe("Déjà paragraphe. Complété hors ligne.\n\nTexte récupéré, écrit dans un passage supprimé entre-temps :\n\nSentinelle.");
});
