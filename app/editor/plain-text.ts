import type { JSONContent } from "@tiptap/core";

/**
 * The one plain-text rendering of a Tiptap document, used for derived text, word counts, quotes,
 * search and exports. Blocks (paragraphs, headings, list items, table cells, …) are separated by
 * one blank line ("\n\n") so paragraphs stay distinguishable in exports; a hard break is "\n";
 * inline text is concatenated as is. Leading/trailing blank lines are trimmed.
 */
export function plainText(doc: JSONContent): string {
  const blocks: string[] = [];
  const walk = (node: JSONContent): void => {
    if (!node.content?.length) {
      if (node.type === "paragraph" || node.type === "heading") blocks.push("");
      return;
    }
    if (node.content.every((child) => child.type === "text" || child.type === "hardBreak")) {
      blocks.push(node.content.map((child) => (child.type === "text" ? (child.text ?? "") : "\n")).join(""));
      return;
    }
    node.content.forEach(walk);
  };
  walk(doc);
  return blocks
    .filter((block) => block.trim() !== "")
    .join("\n\n");
}

/** Words as a French reader counts them: "l'équipe" is two, "Saint-Jean" is one. */
export function wordCount(text: string): number {
  return text.match(/[\p{L}\p{N}]+(?:-[\p{L}\p{N}]+)*/gu)?.length ?? 0;
}
