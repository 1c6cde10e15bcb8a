import * as Y from "yjs";
import { addFinding, findTextRange } from "../app/editor/findings";
import { sectionsToDoc, reportTemplate } from "../app/editor/templates";
import { hashPassword } from "../app/models/password.server";
import type { DB } from "../db/client";
import { listStudyDocumentIds } from "../db/queries/documents";
import { listDynamics } from "../db/queries/dynamics";
import { newId, nowIso } from "../db/queries/executor";
import { listFactors } from "../db/queries/grid";
import { findUserByEmail } from "../db/queries/users";
import { seedDemo, type DemoReport } from "../db/seed/demo";
import { DEMO_ACCOUNTS } from "../db/seed/demo-accounts";
import { jsonToUpdate, stateSnapshot, writeDerived } from "./collab/derive";
import { storeInitialState } from "./collab/persistence";

/** What a demo finding's keys and names stand for in the seeded study. */
interface DemoIds {
  factors: Map<string, string>;
  dynamics: Map<string, string>;
  pilotId: string;
}

/** A report's first state: its text, and its findings as marks + map entries, as a browser would write them. */
function reportState(report: DemoReport | undefined, ids: DemoIds): Uint8Array {
  const doc = new Y.Doc();
  try {
    Y.applyUpdate(doc, jsonToUpdate(report ? sectionsToDoc(report.sections) : reportTemplate()));
    for (const finding of report?.findings ?? []) {
      const range = findTextRange(doc, finding.quote);
      if (!range) throw new Error(`Démo : citation introuvable dans le compte rendu : ${finding.quote}`);
      const known = (map: Map<string, string>, key: string) => {
        const id = map.get(key);
        if (!id) throw new Error(`Démo : « ${key} » inconnu`);
        return id;
      };
      addFinding(doc, range, newId(), {
        kind: finding.kind,
        factors: finding.factors.map((key) => known(ids.factors, key)),
        dynamics: finding.dynamics.map((name) => known(ids.dynamics, name)),
        audience: ("audience" in finding && finding.audience) || null,
        comment: "",
        createdBy: ids.pilotId,
        createdAt: nowIso(),
      });
    }
    return Y.encodeStateAsUpdate(doc);
  } finally {
    doc.destroy();
  }
}

/** Loads the whole demo study: its rows, then the content of its reports and their findings. */
export async function loadDemo(db: DB): Promise<void> {
  const { studyId, reports } = await seedDemo(db, hashPassword);
  const written = new Map(reports.map(({ documentId, report }) => [documentId, report]));
  const pilot = await findUserByEmail(db, DEMO_ACCOUNTS[0].email);
  if (!pilot) throw new Error("Démo : compte pilote absent");
  const ids: DemoIds = {
    factors: new Map((await listFactors(db, studyId)).map((f) => [f.key, f.id])),
    dynamics: new Map((await listDynamics(db, studyId)).map((d) => [d.name, d.id])),
    pilotId: pilot.id,
  };
  // Written straight to the update log (no hub runs yet): the server's first state, as for any report.
  for (const { id } of await listStudyDocumentIds(db, studyId, "report")) {
    const state = reportState(written.get(id), ids);
    if (await storeInitialState(db, id, state)) await writeDerived(db, id, stateSnapshot(state), new Map());
  }
}
