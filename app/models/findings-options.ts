/** Shared by server and browser code (the route components build links and shade cells). */

/** GET parameter names of the findings filters, shared by the browser, the matrix and the export. */
export const FILTER_PARAMS = {
  factor: "facteur",
  family: "famille",
  kind: "nature",
  audience: "public",
  dynamic: "dynamique",
  dynamicType: "type",
  visit: "visite",
  author: "auteur",
  orphaned: "orphelins",
} as const;

/** Results per section of the search page. */
export const SEARCH_LIMIT = 30;

/** Heat level 0–5 of a count relative to the largest cell, for the shading (the number is always written). */
export const heatLevel = (n: number, max: number) => (n <= 0 || max <= 0 ? 0 : Math.max(1, Math.ceil((5 * n) / max)));
