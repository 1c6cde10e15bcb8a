import type { JSONContent } from "@tiptap/core";
import { wordCount } from "../../../app/editor/plain-text";
import type { DB } from "../../../db/client";
import { insertDocument, updateDocumentDerived } from "../../../db/queries/documents";
import { insertDynamic } from "../../../db/queries/dynamics";
import { newId } from "../../../db/queries/executor";
import { listAudiences, listFactors, listFindingKinds } from "../../../db/queries/grid";
import { insertMeeting, setMeetingDynamics } from "../../../db/queries/meetings";
import { upsertMembership } from "../../../db/queries/memberships";
import { insertStudy } from "../../../db/queries/studies";
import { insertUser } from "../../../db/queries/users";
import type { Insertable } from "kysely";
import type { Database } from "../../../db/schema";
import dynamicsData from "../../../db/seed/demo/dynamics.json" with { type: "json" };
import { insertStartingPoint } from "../../../db/seed/starting-point";
import { COMMENTS, paragraph, pick, type Random } from "./text";

/**
 * The benchmark's study: the demo typology and analysis grid (codebook.json, through
 * insertStartingPoint → insertGrid), 17 dynamics, 8 members, `reports` visits each with a
 * report of a few paragraphs, and `findings` findings spread over them. Everything but the
 * findings goes through db/queries; the findings and their links are bulk inserted (500 rows
 * per statement, one transaction): the FTS and version triggers of migrations 0002/0003 still
 * run for every row, as they do for the collaboration server's writes.
 */
export interface GeneratedStudy {
  studyId: string;
  userIds: string[];
  dynamics: { id: string; typeId: string }[];
  factors: { id: string; familyId: string }[];
  meetings: { id: string; documentId: string; dynamicIds: string[] }[];
  /** A finding as inserted, to write it back unchanged but for its comment (cache invalidation). */
  sample: { id: string; documentId: string; kind: string; factors: string[]; dynamics: string[] };
  counts: { findings: number; orphaned: number; factorLinks: number; dynamicLinks: number; reportWords: number };
}

const MEMBERS = ["Claire Dubois", "Mathieu Lefèvre", "Inès Benali", "Noël Garnier", "Zoé Martin", "Hervé Roussel", "Léa Cœurdevey", "Amaury Ngata"];

/** Heavier weights first, then shuffled: a few factors and dynamics are tagged much more than others. */
function weights(random: Random, n: number): number[] {
  const w = Array.from({ length: n }, (_, i) => 1 / Math.pow(i + 1, 0.9));
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [w[i], w[j]] = [w[j]!, w[i]!];
  }
  return w;
}

function weighted<T>(random: Random, items: readonly T[], w: readonly number[]): T {
  let r = random() * w.reduce((a, b) => a + b, 0);
  for (let i = 0; i < items.length; i++) if ((r -= w[i]!) <= 0) return items[i]!;
  return items[items.length - 1]!;
}

export async function generateStudy(db: DB, random: Random, size: { reports: number; findings: number }): Promise<GeneratedStudy> {
  return db.transaction().execute(async (trx) => {
    const users = [];
    for (const [i, name] of MEMBERS.entries()) {
      users.push(await insertUser(trx, { email: `banc-enseignements-${i}@example.org`, name, color: "#2563eb", password_hash: null }));
    }
    const study = await insertStudy(trx, {
      title: "Banc d'essai : enseignements",
      summary: "",
      starts_on: "2024-01-01",
      ends_on: null,
      created_by: users[0]!.id,
    });
    for (const [i, user] of users.entries()) await upsertMembership(trx, study.id, user.id, i === 0 ? "pilote" : "membre");

    const typeIds = await insertStartingPoint(trx, study.id);
    const dynamics: GeneratedStudy["dynamics"] = [];
    const specs = [...dynamicsData.dynamics, { name: "Dynamique ajoutée pour le banc", type: "autre", territory: "Causses", department: "46" }];
    for (const d of specs.slice(0, 17)) {
      const typeId = typeIds.get(d.type)!;
      const row = await insertDynamic(trx, { study_id: study.id, type_id: typeId, name: d.name, territory: d.territory, department: d.department });
      dynamics.push({ id: row.id, typeId });
    }
    const factors = (await listFactors(trx, study.id)).map((f) => ({ id: f.id, familyId: f.family_id }));
    const kinds = (await listFindingKinds(trx, study.id)).map((k) => ({ key: k.key, hasAudience: k.has_audience === 1 }));
    const audiences = (await listAudiences(trx, study.id)).map((a) => a.key);

    // Visits: one main dynamic each (every dynamic gets visits), a second one for a third of them.
    const dynamicWeights = weights(random, dynamics.length);
    const meetings: GeneratedStudy["meetings"] = [];
    const sentencesOf = new Map<string, string[]>();
    let reportWords = 0;
    for (let i = 0; i < size.reports; i++) {
      const main = i < dynamics.length ? dynamics[i]! : weighted(random, dynamics, dynamicWeights);
      const other = random() < 0.33 ? pick(random, dynamics) : main;
      const dynamicIds = [...new Set([main.id, other.id])];
      const day = new Date(Date.UTC(2024, 0, 1) + i * 2 * 86_400_000).toISOString().slice(0, 10);
      const meeting = await insertMeeting(trx, {
        study_id: study.id,
        kind: "visite",
        title: `Visite n° ${i + 1}`,
        starts_on: day,
        ends_on: day,
        place: "Figeac",
        status: "realisee",
        created_by: users[0]!.id,
      });
      await setMeetingDynamics(trx, meeting.id, dynamicIds);
      const doc = await insertDocument(trx, { studyId: study.id, kind: "report", meetingId: meeting.id });
      const paragraphs = Array.from({ length: 4 + Math.floor(random() * 5) }, () => paragraph(random, 3 + Math.floor(random() * 4)));
      const text = paragraphs.map((p) => p.join(" ")).join("\n\n");
      const json: JSONContent = { type: "doc", content: paragraphs.map((p) => ({ type: "paragraph", content: [{ type: "text", text: p.join(" ") }] })) };
      const words = wordCount(text);
      reportWords += words;
      await updateDocumentDerived(trx, doc.id, { plainText: text, json: JSON.stringify(json), wordCount: words });
      sentencesOf.set(doc.id, paragraphs.flat());
      meetings.push({ id: meeting.id, documentId: doc.id, dynamicIds });
    }

    const factorWeights = weights(random, factors.length);
    const authorWeights = weights(random, users.length);
    const kindWeights = [0.4, 0.25, 0.2, 0.15];
    const counts = { findings: 0, orphaned: 0, factorLinks: 0, dynamicLinks: 0, reportWords };
    const start = Date.UTC(2024, 0, 1);
    let rows: Insertable<Database["findings"]>[] = [];
    let factorLinks: Insertable<Database["finding_factors"]>[] = [];
    let dynamicLinks: Insertable<Database["finding_dynamics"]>[] = [];
    const flush = async () => {
      if (rows.length) await trx.insertInto("findings").values(rows).execute();
      if (factorLinks.length) await trx.insertInto("finding_factors").values(factorLinks).execute();
      if (dynamicLinks.length) await trx.insertInto("finding_dynamics").values(dynamicLinks).execute();
      rows = [];
      factorLinks = [];
      dynamicLinks = [];
    };
    let sample: GeneratedStudy["sample"] | undefined;
    for (let i = 0; i < size.findings; i++) {
      const meeting = pick(random, meetings);
      const kind = weighted(random, kinds, kindWeights);
      const id = newId();
      const at = new Date(start + i * 60_000).toISOString();
      const orphaned = random() < 0.03;
      rows.push({
        id,
        study_id: study.id,
        document_id: meeting.documentId,
        kind: kind.key,
        audience: kind.hasAudience ? pick(random, audiences) : null,
        comment: random() < 0.2 ? pick(random, COMMENTS) : "",
        quote: pick(random, sentencesOf.get(meeting.documentId)!),
        orphaned_at: orphaned ? at : null,
        created_by: weighted(random, users, authorWeights).id,
        created_at: at,
        updated_at: at,
        updated_by: null,
      });
      const tagged = new Set<string>();
      const n = 1 + Math.floor(random() * 3);
      while (tagged.size < n) tagged.add(weighted(random, factors, factorWeights).id);
      const linked = random() < 0.85 ? meeting.dynamicIds : meeting.dynamicIds.slice(0, 1);
      for (const factorId of tagged) factorLinks.push({ finding_id: id, factor_id: factorId });
      for (const dynamicId of linked) dynamicLinks.push({ finding_id: id, dynamic_id: dynamicId });
      counts.findings++;
      counts.orphaned += orphaned ? 1 : 0;
      counts.factorLinks += tagged.size;
      counts.dynamicLinks += linked.length;
      sample ??= { id, documentId: meeting.documentId, kind: kind.key, factors: [...tagged].sort(), dynamics: [...linked].sort() };
      if (rows.length === 500) await flush();
    }
    await flush();
    return { studyId: study.id, userIds: users.map((u) => u.id), dynamics, factors, meetings, sample: sample!, counts };
  });
}
