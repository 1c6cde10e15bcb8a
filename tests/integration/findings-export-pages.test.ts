import { strFromU8, unzipSync } from "fflate";
import { beforeAll, describe, expect, it } from "vitest";
import { insertGrid } from "../../db/queries/grid";
import { createFinding, createMeeting, createStudyWithTeam, TEST_PASSWORD } from "../helpers/factories";
import { clientPerUser } from "../helpers/http";
import { testServerForFile } from "../helpers/server";
import { childrenNamed, descendantsNamed, parseXml } from "../helpers/xml";

// The CSV and XLSX exports read the findings a page at a time (1,000): a study with more than two
// pages must still come out whole, each finding once, in the browser's order (newest first).
const FINDINGS = 2_345;

const server = testServerForFile();
const as = clientPerUser(() => server().url, TEST_PASSWORD);

let team: Awaited<ReturnType<typeof createStudyWithTeam>>;
/** Finding ids, newest first; the even ones are « levier », the odd ones « frein ». */
let newestFirst: string[] = [];
let leviers: string[] = [];

beforeAll(async () => {
  const db = server().database.db;
  team = await createStudyWithTeam(db);
  const { report } = await createMeeting(db, team.study.id, { title: "Visite des mille passages" });
  await insertGrid(db, team.study.id, {
    kinds: [
      { key: "levier", label: "Levier" },
      { key: "frein", label: "Frein" },
    ],
    audiences: [],
    families: [{ key: "f", label: "Famille", color: "#000000", factors: [{ key: "x", label: "Facteur", definition: "" }] }],
  });
  const oldestFirst = await db.transaction().execute(async (trx) => {
    const ids: string[] = [];
    for (let i = 0; i < FINDINGS; i++) {
      const kind = i % 2 === 0 ? "levier" : "frein";
      const finding = await createFinding(trx, {
        studyId: team.study.id,
        documentId: report.id,
        kind,
        factorIds: [],
        dynamicIds: [],
        quote: `Passage n° ${i} ; « cité »`,
        createdBy: team.membre.id,
      });
      ids.push(finding.id);
    }
    return ids;
  });
  newestFirst = oldestFirst.reverse();
  leviers = newestFirst.filter((_, i) => (FINDINGS - 1 - i) % 2 === 0);
}, 60_000);

async function download(format: "csv" | "xlsx", params: [string, string][] = []) {
  const response = await (await as(team.lecteur)).get(`/etudes/${team.study.id}/enseignements/${format}?${new URLSearchParams(params)}`);
  expect(response.status).toBe(200);
  return new Uint8Array(await response.arrayBuffer());
}

const csvIds = (bytes: Uint8Array) =>
  new TextDecoder()
    .decode(bytes)
    .split("\r\n")
    .slice(1, -1)
    .map((line) => line.split(";")[0]);

describe("exports of a study bigger than one page of findings", () => {
  it("CSV: every finding once, newest first, the header once", async () => {
    const bytes = await download("csv");
    const text = new TextDecoder().decode(bytes);
    expect(text.match(/^Identifiant;/gm)).toHaveLength(1);
    expect(csvIds(bytes)).toEqual(newestFirst);
    const lines = text.split("\r\n");
    expect(lines[1]).toContain(`${newestFirst[0]};"Passage n° ${FINDINGS - 1} ; « cité »";Levier;`);
    expect(lines.at(-2)).toContain(`;"Passage n° 0 ; « cité »";Levier;`);
  });

  it("CSV: a filter that matches findings across the pages", async () => {
    expect(csvIds(await download("csv", [["nature", "levier"]]))).toEqual(leviers);
  });

  it("XLSX: one sheet whose rows are numbered without a gap, every finding once, the filter over them all", async () => {
    const files = unzipSync(await download("xlsx"));
    const sheet = parseXml(strFromU8(files["xl/worksheets/sheet1.xml"]!));
    const rows = childrenNamed(childrenNamed(sheet, "sheetData")[0]!, "row");
    expect(rows.map((row) => row.attributes.r)).toEqual(Array.from({ length: FINDINGS + 1 }, (_, i) => String(i + 1)));
    const firstCells = rows.map((row) => descendantsNamed(childrenNamed(row, "c")[0]!, "t")[0]!.text);
    expect(firstCells).toEqual(["Identifiant", ...newestFirst]);
    expect(descendantsNamed(sheet, "autoFilter")[0]!.attributes.ref).toBe(`A1:O${FINDINGS + 1}`);
    const definedName = descendantsNamed(parseXml(strFromU8(files["xl/workbook.xml"]!)), "definedName")[0]!;
    expect(definedName.text).toBe(`'Enseignements'!$A$1:$O$${FINDINGS + 1}`);
  });

  it("XLSX: an export with no finding is a header and an autofilter over it", async () => {
    const files = unzipSync(await download("xlsx", [["nature", "proposition"]]));
    const sheet = parseXml(strFromU8(files["xl/worksheets/sheet1.xml"]!));
    expect(childrenNamed(childrenNamed(sheet, "sheetData")[0]!, "row")).toHaveLength(1);
    expect(descendantsNamed(sheet, "autoFilter")[0]!.attributes.ref).toBe("A1:O1");
  });
});
