import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { strFromU8, unzipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DB } from "../../db/client";
import type { User } from "../../db/schema";
import { createFinding, TEST_PASSWORD } from "../helpers/factories";
import { startFindingsServer, type FindingsFixture, type OtherStudy } from "../helpers/findings-fixture";
import { clientPerUser, visibleText } from "../helpers/http";
import { openInLibreOffice } from "../helpers/libreoffice";
import type { TestServer } from "../helpers/server";
import { childrenNamed, descendantsNamed, parseXml, type XmlNode } from "../helpers/xml";

const run = promisify(execFile);

let server: TestServer;
let db: DB;
let fx: FindingsFixture;
let other: OtherStudy;
const dir = mkdtempSync(join(tmpdir(), "terrain-xlsx-"));

/** Control characters and a non-character (not allowed in XML), markup and entities (to escape). */
const HOSTILE = "Bip\u0007 <b>gras</b> & « guillemets » \"x\"\u001B fin\uFFFE";

beforeAll(async () => {
  ({ server, db, fx, other } = await startFindingsServer());
  const report = await db.selectFrom("documents").select("id").where("meeting_id", "=", other.meetingId).executeTakeFirstOrThrow();
  await createFinding(db, {
    studyId: other.team.study.id,
    documentId: report.id,
    kind: "levier",
    factorIds: [other.factorId],
    dynamicIds: [other.dynamicId],
    quote: HOSTILE,
    comment: "+CMD|' /C calc'!A0",
    createdBy: other.team.membre.id,
  });
});
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

const as = clientPerUser(() => server.url, TEST_PASSWORD);

const PARTS = ["[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml", "xl/worksheets/sheet1.xml"];
const HEADER = [
  "Identifiant",
  "Citation",
  "Type",
  "Public",
  "Facteurs",
  "Familles",
  "Dynamiques",
  "Types de dynamique",
  "Visite",
  "Date de la visite",
  "Auteur",
  "Créé le",
  "Orphelin",
  "Commentaire",
  "Lien",
];

async function download(user: User, studyId: string, params: [string, string][] = []) {
  const response = await (await as(user)).get(`/etudes/${studyId}/enseignements/xlsx?${new URLSearchParams(params)}`);
  return { response, bytes: new Uint8Array(await response.arrayBuffer()) };
}

/** The workbook's parts as text, each checked well-formed by xmllint and parsed. */
async function workbook(bytes: Uint8Array) {
  const files = unzipSync(bytes);
  expect(Object.keys(files).sort()).toEqual([...PARTS].sort());
  const xml: Record<string, XmlNode> = {};
  for (const [name, content] of Object.entries(files)) {
    const path = join(dir, name.replace(/[^\w.]/g, "_"));
    writeFileSync(path, content);
    // Rejects (non-zero exit) if the part is not well-formed XML.
    await run("xmllint", ["--noout", path]);
    xml[name] = parseXml(strFromU8(content));
  }
  return xml;
}

/** The sheet as rows of cell texts by column letter; every cell must be an inline string. */
function sheetRows(sheet: XmlNode): Record<string, string>[] {
  const data = childrenNamed(sheet, "sheetData")[0]!;
  return childrenNamed(data, "row").map((row, r) => {
    expect(row.attributes.r).toBe(String(r + 1));
    const cells: Record<string, string> = {};
    for (const c of childrenNamed(row, "c")) {
      expect(c.attributes.t).toBe("inlineStr");
      expect(childrenNamed(c, "f")).toEqual([]);
      expect(c.attributes.r).toMatch(new RegExp(`^[A-Z]+${r + 1}$`));
      cells[c.attributes.r!.replace(/\d+$/, "")] = descendantsNamed(c, "t").map((t) => t.text).join("");
    }
    return cells;
  });
}

const COLUMNS = "ABCDEFGHIJKLMNO".split("");
const asList = (row: Record<string, string>) => COLUMNS.map((c) => row[c] ?? "");

describe("XLSX export of the findings", () => {
  it("downloads a valid workbook with the CSV's columns and rows, accents intact, for a lecteur", async () => {
    const { response, bytes } = await download(fx.team.lecteur, fx.studyId);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    const day = new Date().toISOString().slice(0, 10);
    const fileName = `enseignements-etude-coeur-de-figeac-${day}.xlsx`;
    expect(response.headers.get("content-disposition")).toBe(`attachment; filename="${fileName}"; filename*=UTF-8''${fileName}`);
    expect(response.headers.get("cache-control")).toBe("private, no-store");

    const xml = await workbook(bytes);
    const sheet = xml["xl/worksheets/sheet1.xml"]!;
    const rows = sheetRows(sheet);
    expect(asList(rows[0]!)).toEqual(HEADER);
    expect(rows).toHaveLength(1 + 8);
    const byId = new Map(rows.slice(1).map((r) => [r.A!, asList(r)]));
    expect([...byId.keys()].sort()).toEqual(Object.values(fx.findings).map((f) => f.id).sort());

    const f4 = byId.get(fx.findings.f4.id)!;
    expect(f4.slice(0, 4)).toEqual([fx.findings.f4.id, "Proposer une cooperation fonciere", "Proposition", "Pouvoirs publics"]);
    expect(f4[4]!.split(", ").sort()).toEqual(["Coopération", "Financement"]);
    expect(f4[5]!.split(", ").sort()).toEqual(["Gouvernance", "Ressources"]);
    expect(f4.slice(6, 14)).toEqual(["Ferme du Causse", "Fermes", "Visite du Causse", "2019-02-12", "Paule Pilote", day, "non", "à discuter"]);
    expect(f4[14]).toBe(`${server.url.replace(/\/$/, "")}/etudes/${fx.studyId}/visites/${fx.meetings.M2}/compte-rendu#enseignement-${fx.findings.f4.id}`);
    expect(byId.get(fx.findings.f1.id)![1]).toBe("La coopération entre les élus et les habitants");
    expect(byId.get(fx.findings.f6.id)![1]).toBe("Œuvre commune et confiance");
    expect(byId.get(fx.findings.f3.id)![1]).toBe("Le financement manque à Saint-Jean ; les élus hésitent");
    // A formula-looking value is plain text, as typed (no quote prefix: inline strings never compute).
    expect(byId.get(fx.findings.f7.id)![1]).toBe("=1+1 sans facteur");
    expect(byId.get(fx.findings.f5.id)![12]).toBe("oui");
    expect(strFromU8(unzipSync(bytes)["xl/worksheets/sheet1.xml"]!)).not.toContain("secrète");

    // Bold header (style 1 = the bold font), frozen first row, column widths, autofilter over the table.
    const header = descendantsNamed(sheet, "row")[0]!;
    expect(childrenNamed(header, "c").every((c) => c.attributes.s === "1")).toBe(true);
    const styles = xml["xl/styles.xml"]!;
    const boldFont = childrenNamed(descendantsNamed(styles, "cellXfs")[0]!, "xf")[1]!.attributes.fontId!;
    expect(childrenNamed(descendantsNamed(styles, "font")[Number(boldFont)]!, "b")).toHaveLength(1);
    expect(descendantsNamed(sheet, "pane")[0]!.attributes).toMatchObject({ ySplit: "1", state: "frozen", topLeftCell: "A2" });
    const cols = descendantsNamed(sheet, "col");
    expect(cols).toHaveLength(15);
    expect(Number(cols[1]!.attributes.width)).toBeGreaterThan(Number(cols[12]!.attributes.width));
    expect(descendantsNamed(sheet, "autoFilter")[0]!.attributes.ref).toBe("A1:O9");
    expect(descendantsNamed(xml["xl/workbook.xml"]!, "sheet")[0]!.attributes.name).toBe("Enseignements");
  });

  it("opens in LibreOffice Calc, every finding a row, a formula-looking quote kept as text", async () => {
    const { bytes } = await download(fx.team.lecteur, fx.studyId);
    const lines = (await openInLibreOffice(bytes, "xlsx", "csv")).trimEnd().split(/\r?\n/);
    expect(lines[0]).toBe(HEADER.join(","));
    expect(lines).toHaveLength(1 + 8);
    const body = lines.slice(1).join("\n");
    for (const quote of ["Œuvre commune et confiance", "La coopération entre les élus et les habitants", "=1+1 sans facteur"]) expect(body).toContain(quote);
  }, 180_000);

  it("applies the browser's filters", async () => {
    const ids = async (params: [string, string][]) => {
      const rows = sheetRows((await workbook((await download(fx.team.lecteur, fx.studyId, params)).bytes))["xl/worksheets/sheet1.xml"]!);
      expect(asList(rows[0]!)).toEqual(HEADER);
      return rows.slice(1).map((r) => r.A).sort();
    };
    expect(await ids([["nature", "levier"]])).toEqual([fx.findings.f2.id, fx.findings.f6.id].sort());
    expect(await ids([["facteur", fx.factors.F1], ["visite", fx.meetings.M2]])).toEqual([fx.findings.f4.id, fx.findings.f6.id].sort());
    expect(await ids([["nature", "inconnue"]])).toEqual([]);
  });

  it("escapes markup and drops characters XML cannot hold", async () => {
    const { response, bytes } = await download(other.team.lecteur, other.team.study.id);
    expect(response.status).toBe(200);
    const rows = sheetRows((await workbook(bytes))["xl/worksheets/sheet1.xml"]!);
    const hostile = rows.map(asList).find((r) => r[1]!.startsWith("Bip"))!;
    expect(hostile[1]).toBe("Bip <b>gras</b> & « guillemets » \"x\" fin");
    expect(hostile[13]).toBe("+CMD|' /C calc'!A0");
  });

  it("is linked from the findings browser with the current filters", async () => {
    const html = await (await (await as(fx.team.lecteur)).get(`/etudes/${fx.studyId}/enseignements?nature=levier`)).text();
    expect(visibleText(html)).toContain("Exporter en Excel (.xlsx)");
    expect(html).toContain(`href="/etudes/${fx.studyId}/enseignements/xlsx?nature=levier"`);
  });

  it("is 404 for a non-member and for another study's members", async () => {
    expect((await download(fx.team.outsider, fx.studyId)).response.status).toBe(404);
    expect((await download(other.team.membre, fx.studyId)).response.status).toBe(404);
  });
});
