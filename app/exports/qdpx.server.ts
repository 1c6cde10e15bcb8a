import { derivedContent } from "../editor/derived-content";
import type { AppLoadContext } from "@remix-run/node";
import { listDocumentFindings } from "../../db/queries/findings";
import { listStudyMeetingDynamics } from "../../db/queries/meetings";
import { findDocumentJson, listExportDynamics, listExportReports, listExportUsers } from "../../db/queries/refi-qda";
import type { Study } from "../../db/schema";
import { exportPlainText } from "../editor/plain-text";
import { formatDay } from "../i18n/format";
import { refiQda as t } from "../i18n/refi-qda";
import { loadGrid } from "../models/grid.server";
import { codesElement, type ExportGrid, ORIGIN } from "./qdc.server";
import { ZipWriter } from "./zip.server";
import { derivedGuid, element, textElement, XML_DECLARATION, type XmlChild, xsdDateTime } from "./xml.server";

export const PROJECT_NAMESPACE = "urn:QDA-XML:project:1.0";
export const sourcePath = (documentId: string) => `sources/${documentId}.txt`;

const variableValue = (variableGuid: string, value: XmlChild): string | null =>
  value ? element("VariableValue", {}, [element("VariableRef", { targetGUID: variableGuid }), value]) : null;

/**
 * The study as a REFI-QDA project (.qdpx: a zip of `project.qde` and `sources/<guid>.txt`), for
 * ATLAS.ti, MAXQDA, NVivo and QualCoder:
 * - Users: the members, and former members still named as authors;
 * - CodeBook: the grid (families as non-codable parents, factors as codes);
 * - Sources: each visit report as a TextSource whose text file is the report's plain text (NFC,
 *   CRLF: see exportPlainText), each passage of a finding a PlainTextSelection over it, in code
 *   points, coded with the finding's factors. ORPHANED findings (their passage was deleted from
 *   the report) have no position in the text, so they are left out of the export;
 * - Cases: the dynamics. The schema's Case holds SourceRef and SelectionRef, so a dynamic names
 *   exactly the reports of its visits and the passages tagged with it; a Set (MemberSource only)
 *   could not name passages, and a Variable on each source could not tell which passage of a
 *   visit to several dynamics concerns which. The type and territory are case variables.
 *
 * GUIDs are the rows' ids (study, users, families, factors, documents, findings, dynamics); what
 * has no row of its own gets a name-based GUID from its parent row, so every export of a study
 * gives every element the same GUID.
 *
 * Report texts come from the server-derived JSON (`documents.json`), read one report at a time;
 * the zip is produced as the stream is read, `project.qde` last (its Cases need every selection).
 */
export async function* qdpxChunks(context: AppLoadContext, study: Study): AsyncGenerator<Uint8Array> {
  const zip = new ZipWriter();

  const db = context.db;
  const [grid, users, reports, dynamics, meetingDynamics] = await Promise.all([
    loadGrid(context, study.id),
    listExportUsers(db, study.id),
    listExportReports(db, study.id),
    listExportDynamics(db, study.id),
    listStudyMeetingDynamics(db, study.id),
  ]);
  const known = new Set(users.map((u) => u.id));
  const user = (id: string | null) => (id !== null && known.has(id) ? id : null);
  const kindLabels = new Map(grid.kinds.map((k) => [k.key, k.label]));
  const audienceLabels = new Map(grid.audiences.map((a) => [a.key, a.label]));
  const variables = {
    dynamicType: derivedGuid(study.id, "variable/dynamic-type"),
    territory: derivedGuid(study.id, "variable/territory"),
    visitDate: derivedGuid(study.id, "variable/visit-date"),
  };

  const sources: string[] = [];
  const caseSources = new Map<string, string[]>();
  const caseSelections = new Map<string, string[]>();
  const addTo = (map: Map<string, string[]>, key: string, guid: string) => {
    const list = map.get(key);
    if (list) list.push(guid);
    else map.set(key, [guid]);
  };
  const reportOfMeeting = new Map(reports.map((r) => [r.meetingId, r.id]));
  for (const link of meetingDynamics) {
    const reportId = reportOfMeeting.get(link.meeting_id);
    if (reportId) addTo(caseSources, link.id, reportId);
  }

  for (const report of reports) {
    const { text, passages } = exportPlainText(derivedContent(await findDocumentJson(db, study.id, report.id)));
    zip.add(sourcePath(report.id), text);
    yield* zip.take();

    const selections: { start: number; end: number; xml: string }[] = [];
    for (const finding of await listDocumentFindings(db, report.id)) {
      const ranges = passages.get(finding.id);
      if (finding.orphaned_at !== null || !ranges) continue;
      const kind = kindLabels.get(finding.kind) ?? finding.kind;
      const audience = finding.audience ? (audienceLabels.get(finding.audience) ?? finding.audience) : null;
      ranges.forEach((range, index) => {
        const guid = index === 0 ? finding.id : derivedGuid(finding.id, `passage/${index}`);
        for (const dynamicId of finding.dynamics) addTo(caseSelections, dynamicId, guid);
        const codings = finding.factors.map((factorId) =>
          element(
            "Coding",
            { guid: derivedGuid(guid, `coding/${factorId}`), creatingUser: user(finding.created_by), creationDateTime: xsdDateTime(finding.created_at) },
            [element("CodeRef", { targetGUID: factorId })],
          ),
        );
        selections.push({
          ...range,
          xml: element(
            "PlainTextSelection",
            {
              guid,
              name: kind,
              startPosition: range.start,
              endPosition: range.end,
              creatingUser: user(finding.created_by),
              creationDateTime: xsdDateTime(finding.created_at),
              modifyingUser: user(finding.updated_by),
              modifiedDateTime: xsdDateTime(finding.updated_at),
            },
            [textElement("Description", t.selection(kind, audience, finding.comment)), ...codings],
          ),
        });
      });
    }
    selections.sort((a, b) => a.start - b.start || a.end - b.end);

    sources.push(
      element(
        "TextSource",
        {
          guid: report.id,
          name: report.title,
          plainTextPath: `internal://${report.id}.txt`,
          creationDateTime: xsdDateTime(report.createdAt),
          modifyingUser: user(report.updatedBy),
          modifiedDateTime: xsdDateTime(report.updatedAt),
        },
        [
          textElement("Description", t.source(formatDay(report.startsOn), report.place)),
          ...selections.map((s) => s.xml),
          /^\d{4}-\d{2}-\d{2}$/.test(report.startsOn)
            ? variableValue(variables.visitDate, textElement("DateValue", report.startsOn))
            : null,
        ],
      ),
    );
  }

  const cases = dynamics.map((dynamic) =>
    element("Case", { guid: dynamic.id, name: dynamic.name }, [
      textElement("Description", dynamic.description),
      variableValue(variables.dynamicType, textElement("TextValue", dynamic.typeLabel)),
      variableValue(variables.territory, textElement("TextValue", dynamic.territory)),
      ...(caseSources.get(dynamic.id) ?? []).map((guid) => element("SourceRef", { targetGUID: guid })),
      ...(caseSelections.get(dynamic.id) ?? []).map((guid) => element("SelectionRef", { targetGUID: guid })),
    ]),
  );

  // The one big file: tens of MB for 50,000 findings.
  zip.addLarge("project.qde", projectDocument(study, { users, grid, variables, cases, sources }));
  yield* await zip.end();
}

function projectDocument(
  study: Study,
  parts: {
    users: { id: string; name: string }[];
    grid: ExportGrid;
    variables: Record<"dynamicType" | "territory" | "visitDate", string>;
    cases: string[];
    sources: string[];
  },
): string {
  const codes = codesElement(parts.grid);
  const variable = (guid: string, name: string, type: "Text" | "Date") => element("Variable", { guid, name, typeOfVariable: type });
  return (
    XML_DECLARATION +
    element(
      "Project",
      {
        xmlns: PROJECT_NAMESPACE,
        name: study.title,
        origin: ORIGIN,
        creatingUserGUID: study.created_by !== null && parts.users.some((u) => u.id === study.created_by) ? study.created_by : null,
        creationDateTime: xsdDateTime(study.created_at),
        modifiedDateTime: xsdDateTime(study.updated_at),
      },
      [
        parts.users.length > 0 ? element("Users", {}, parts.users.map((u) => element("User", { guid: u.id, name: u.name }))) : null,
        codes ? element("CodeBook", {}, [codes]) : null,
        element("Variables", {}, [
          variable(parts.variables.dynamicType, t.variables.dynamicType, "Text"),
          variable(parts.variables.territory, t.variables.territory, "Text"),
          variable(parts.variables.visitDate, t.variables.visitDate, "Date"),
        ]),
        parts.cases.length > 0 ? element("Cases", {}, parts.cases) : null,
        parts.sources.length > 0 ? element("Sources", {}, parts.sources) : null,
        textElement("Description", study.summary),
      ],
    ) +
    "\n"
  );
}
