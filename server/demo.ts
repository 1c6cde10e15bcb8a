import { sectionsToDoc, reportTemplate } from "../app/editor/templates";
import { hashPassword } from "../app/models/password.server";
import type { DB } from "../db/client";
import { listStudyDocumentIds } from "../db/queries/documents";
import { seedDemo } from "../db/seed/demo";
import { jsonToUpdate, writeDerived } from "./collab/derive";
import { storeInitialState } from "./collab/persistence";

/** Loads the whole demo study: its rows, then the content of its reports. */
export async function loadDemo(db: DB): Promise<void> {
  const { studyId, reports } = await seedDemo(db, hashPassword);
  const written = new Map(reports.map(({ documentId, report }) => [documentId, sectionsToDoc(report.sections)]));
  // Written straight to the update log (no hub runs yet): the server's first state, as for any report.
  for (const { id } of await listStudyDocumentIds(db, studyId, "report")) {
    const content = written.get(id) ?? reportTemplate();
    if (await storeInitialState(db, id, jsonToUpdate(content))) await writeDerived(db, id, content, new Map());
  }
}
