import type { DB } from "../../db/client";
import { updateDocumentDerived } from "../../db/queries/documents";
import { insertGrid } from "../../db/queries/grid";
import { updateStudy } from "../../db/queries/studies";
import { createDynamic, createDynamicType, createFinding, createMeeting, createStudyWithTeam } from "./factories";
import { startTestServer } from "./server";

/**
 * A study built by hand for the read side of the findings (browser, matrix, search, export).
 * The expected counts in the tests are worked out from this table:
 *
 *   finding  report kind          factors          dynamics   author  notes
 *   f1       R1     facteur-cle   F1 F2            D1         membre
 *   f2       R1     levier        F1               D1 D2      pilote
 *   f3       R1     frein         F3               D2         membre  quote holds « ; »
 *   f4       R2     proposition   F1 F3            D3         pilote  audience pouvoirs-publics
 *   f5       R2     facteur-cle   F2               D3         membre  ORPHANED
 *   f6       R2     levier        F1 F2 F3         D1 D3      membre
 *   f7       R2     frein         (none)           D3         pilote  quote starts with « = »
 *   f8       R1     facteur-cle   F4               D2         membre
 *
 * Families: Gouvernance = F1 Coopération (own color #dc2626), F2 Leadership (family color #2563eb);
 * Ressources (#16a34a) = F3 Financement, F4 Foncier. Types: Tiers-lieux = D1 Figeacteurs,
 * D2 La Fabrique; Fermes = D3 Ferme du Causse. R1 is the report of visit M1, R2 of M2.
 */
export async function createFindingsFixture(db: DB) {
  const team = await createStudyWithTeam(db);
  const studyId = team.study.id;
  await updateStudy(db, studyId, { title: "Étude Cœur de Figeac" });
  await insertGrid(db, studyId, {
    kinds: [
      { key: "facteur-cle", label: "Facteur clé de succès" },
      { key: "levier", label: "Levier" },
      { key: "frein", label: "Frein" },
      { key: "proposition", label: "Proposition", hasAudience: true },
    ],
    audiences: [
      { key: "citoyens", label: "Citoyens" },
      { key: "pouvoirs-publics", label: "Pouvoirs publics" },
    ],
    families: [
      {
        key: "gouvernance",
        label: "Gouvernance",
        color: "#2563eb",
        factors: [
          { key: "cooperation", label: "Coopération", definition: "" },
          { key: "leadership", label: "Leadership", definition: "" },
        ],
      },
      {
        key: "ressources",
        label: "Ressources",
        color: "#16a34a",
        factors: [
          { key: "financement", label: "Financement", definition: "" },
          { key: "foncier", label: "Foncier", definition: "" },
        ],
      },
    ],
  });
  await db.updateTable("factors").set({ color: "#dc2626" }).where("study_id", "=", studyId).where("key", "=", "cooperation").execute();
  const factors = await db.selectFrom("factors").select(["id", "key"]).where("study_id", "=", studyId).execute();
  const families = await db.selectFrom("factor_families").select(["id", "key"]).where("study_id", "=", studyId).execute();
  const factor = (key: string) => factors.find((f) => f.key === key)!.id;
  const F1 = factor("cooperation");
  const F2 = factor("leadership");
  const F3 = factor("financement");
  const F4 = factor("foncier");
  const gouvernance = families.find((f) => f.key === "gouvernance")!.id;
  const ressources = families.find((f) => f.key === "ressources")!.id;

  const T1 = await createDynamicType(db, studyId, { label: "Tiers-lieux" });
  const T2 = await createDynamicType(db, studyId, { label: "Fermes" });
  const D1 = await createDynamic(db, studyId, { type_id: T1.id, name: "Figeacteurs" });
  const D2 = await createDynamic(db, studyId, { type_id: T1.id, name: "La Fabrique" });
  const D3 = await createDynamic(db, studyId, { type_id: T2.id, name: "Ferme du Causse" });
  const M1 = await createMeeting(db, studyId, { title: "Visite à Figeac", starts_on: "2018-11-08", dynamicIds: [D1.id, D2.id] });
  const M2 = await createMeeting(db, studyId, { title: "Visite du Causse", starts_on: "2019-02-12", dynamicIds: [D3.id] });
  const R1 = M1.report.id;
  const R2 = M2.report.id;
  await setText(db, R1, "Visite de Figeac. La coopération entre les élus et les habitants est forte. Le cœur de bourg de Saint-Jean revit. <script>alert(1)</script>");
  await setText(db, R2, "Les agriculteurs parlent de Coeur de ferme et de cooperation fonciere. Œuvre commune.");

  const { pilote, membre } = team;
  const base = { studyId };
  const f1 = await createFinding(db, { ...base, documentId: R1, kind: "facteur-cle", factorIds: [F1, F2], dynamicIds: [D1.id], quote: "La coopération entre les élus et les habitants", createdBy: membre.id });
  const f2 = await createFinding(db, { ...base, documentId: R1, kind: "levier", factorIds: [F1], dynamicIds: [D1.id, D2.id], quote: "Un cœur de bourg revitalisé", createdBy: pilote.id });
  const f3 = await createFinding(db, { ...base, documentId: R1, kind: "frein", factorIds: [F3], dynamicIds: [D2.id], quote: "Le financement manque à Saint-Jean ; les élus hésitent", createdBy: membre.id });
  const f4 = await createFinding(db, { ...base, documentId: R2, kind: "proposition", audience: "pouvoirs-publics", factorIds: [F1, F3], dynamicIds: [D3.id], quote: "Proposer une cooperation fonciere", comment: "à discuter", createdBy: pilote.id });
  const f5 = await createFinding(db, { ...base, documentId: R2, kind: "facteur-cle", factorIds: [F2], dynamicIds: [D3.id], quote: "Un leadership partagé", createdBy: membre.id, orphaned: true });
  const f6 = await createFinding(db, { ...base, documentId: R2, kind: "levier", factorIds: [F1, F2, F3], dynamicIds: [D1.id, D3.id], quote: "Œuvre commune et confiance", createdBy: membre.id });
  const f7 = await createFinding(db, { ...base, documentId: R2, kind: "frein", factorIds: [], dynamicIds: [D3.id], quote: "=1+1 sans facteur", createdBy: pilote.id });
  const f8 = await createFinding(db, { ...base, documentId: R1, kind: "facteur-cle", factorIds: [F4], dynamicIds: [D2.id], quote: "Accès au foncier agricole", createdBy: membre.id });

  return {
    team,
    studyId,
    factors: { F1, F2, F3, F4 },
    families: { gouvernance, ressources },
    types: { T1: T1.id, T2: T2.id },
    dynamics: { D1: D1.id, D2: D2.id, D3: D3.id },
    meetings: { M1: M1.meeting.id, M2: M2.meeting.id },
    reports: { R1, R2 },
    findings: { f1, f2, f3, f4, f5, f6, f7, f8 },
  };
}

/** Another study whose words must never show up in the first one's pages. */
export async function createOtherStudy(db: DB) {
  const team = await createStudyWithTeam(db);
  const dynamic = await createDynamic(db, team.study.id, { name: "Dynamique secrète" });
  const { meeting, report } = await createMeeting(db, team.study.id, { title: "Visite secrète", dynamicIds: [dynamic.id] });
  await setText(db, report.id, "Texte secret : coopération confidentielle au cœur de Saint-Jean.");
  await insertGrid(db, team.study.id, {
    kinds: [{ key: "levier", label: "Levier" }],
    audiences: [],
    families: [{ key: "autre", label: "Autre famille", color: "#000000", factors: [{ key: "x", label: "Facteur secret", definition: "" }] }],
  });
  const factor = await db.selectFrom("factors").select("id").where("study_id", "=", team.study.id).executeTakeFirstOrThrow();
  const finding = await createFinding(db, {
    studyId: team.study.id,
    documentId: report.id,
    kind: "levier",
    factorIds: [factor.id],
    dynamicIds: [dynamic.id],
    quote: "Citation secrète sur la coopération",
    createdBy: team.membre.id,
  });
  return { team, factorId: factor.id, dynamicId: dynamic.id, meetingId: meeting.id, finding };
}

function setText(db: DB, documentId: string, text: string) {
  return updateDocumentDerived(db, documentId, { plainText: text, json: "{}", wordCount: text.split(/\s+/).length });
}

export type FindingsFixture = Awaited<ReturnType<typeof createFindingsFixture>>;
export type OtherStudy = Awaited<ReturnType<typeof createOtherStudy>>;

/** The real server on a fresh database holding the hand-counted fixture study and another study. */
export async function startFindingsServer(options: Parameters<typeof startTestServer>[0] = {}) {
  const server = await startTestServer(options);
  const db = server.database.db;
  const fx = await createFindingsFixture(db);
  const other = await createOtherStudy(db);
  return { server, db, fx, other };
}
