import type { loadGrid } from "../models/grid.server";
import { element, rgb, textElement, XML_DECLARATION } from "./xml.server";

export type ExportGrid = Awaited<ReturnType<typeof loadGrid>>;

export const ORIGIN = "Terrain";
export const CODEBOOK_NAMESPACE = "urn:QDA-XML:codebook:1.0";

/**
 * The analysis grid as REFI-QDA codes: each family a parent code nobody codes with
 * (isCodable="false"), its factors codable children, in grid order. GUIDs are the rows' ids, so
 * the codings of a project export point at these very codes. Archived and merged factors stay:
 * findings tagged before may still carry them.
 */
export function codesElement(grid: ExportGrid): string | null {
  if (grid.families.length === 0) return null;
  return element(
    "Codes",
    {},
    grid.families.map((family) =>
      element(
        "Code",
        { guid: family.id, name: family.label, isCodable: false, color: rgb(family.color) },
        family.factors.map((factor) =>
          element("Code", { guid: factor.id, name: factor.label, isCodable: true, color: rgb(factor.color) }, [
            textElement("Description", factor.definition),
          ]),
        ),
      ),
    ),
  );
}

/**
 * The grid alone as a .qdc codebook (namespace of the REFI-QDA codebook schema). A grid without
 * any family gives an empty `<Codes/>`: the schema wants one code at least, and no code can be
 * invented.
 */
export function qdcDocument(grid: ExportGrid): string {
  return (
    XML_DECLARATION +
    element("CodeBook", { xmlns: CODEBOOK_NAMESPACE, origin: ORIGIN }, [codesElement(grid) ?? element("Codes")]) +
    "\n"
  );
}
