/** Helpers shared by the editable lists of a study (typology of dynamics, analysis grid). */

/** An ASCII key from the label (stored values are ASCII keys), unique among `taken`. */
export function uniqueKey(label: string, taken: ReadonlySet<string>, fallback: string): string {
  const base =
    label
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 40) || fallback;
  let key = base;
  for (let n = 2; taken.has(key); n++) key = `${base}-${n}`;
  return key;
}

/** Labels that differ only by case or accents would confuse readers: they count as the same. */
export const sameLabel = (a: string, b: string) => a.localeCompare(b, "fr", { sensitivity: "base" }) === 0;

/**
 * The items with the one at `index` swapped with its neighbour, or null when it is already at
 * that end. Callers rewrite positions as 0..n-1 from the result so gaps never accumulate.
 */
export function swapWithNeighbour<T>(items: readonly T[], index: number, direction: "up" | "down"): T[] | null {
  const other = direction === "up" ? index - 1 : index + 1;
  if (index < 0 || other < 0 || other >= items.length) return null;
  const swapped = [...items];
  [swapped[index], swapped[other]] = [swapped[other]!, swapped[index]!];
  return swapped;
}
