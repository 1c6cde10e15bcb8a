import type { JSONContent } from "@tiptap/core";

/** The sections a new visit report starts from; people edit them freely afterwards. */
export const REPORT_TEMPLATE_SECTIONS = [
  "Fiche d'identité",
  "Personnes rencontrées",
  "Contexte territorial",
  "Genèse et trajectoire",
  "Acteurs et gouvernance",
  "Activités et résultats",
  "Modèle économique et ressources",
  "Facteurs clés de succès observés",
  "Freins et obstacles",
  "Relations avec les pouvoirs publics",
  "Enseignements transférables",
  "Pistes de propositions",
] as const;

export const heading = (text: string, level = 2): JSONContent => ({
  type: "heading",
  attrs: { level },
  content: [{ type: "text", text }],
});

export const paragraph = (text?: string): JSONContent =>
  text ? { type: "paragraph", content: [{ type: "text", text }] } : { type: "paragraph" };

/** Sections with their paragraphs as a Tiptap document. */
export function sectionsToDoc(sections: readonly { heading: string; paragraphs: readonly string[] }[]): JSONContent {
  return {
    type: "doc",
    content: sections.flatMap((s) => [heading(s.heading), ...(s.paragraphs.length ? s.paragraphs.map((p) => paragraph(p)) : [paragraph()])]),
  };
}

export function reportTemplate(): JSONContent {
  return sectionsToDoc(REPORT_TEMPLATE_SECTIONS.map((heading) => ({ heading, paragraphs: [] })));
}

/**
 * The synthesis a study starts from: its sections, and a heading per audience of the study's grid
 * under « Propositions » (labels as the grid names them when the synthesis is created).
 */
export function synthesisTemplate(audiences: readonly { label: string }[]): JSONContent {
  return {
    type: "doc",
    content: [
      heading("Synthèse", 1),
      heading("Introduction"),
      paragraph(),
      heading("Enseignements par famille de facteurs"),
      paragraph(),
      heading("Propositions"),
      ...(audiences.length ? audiences.flatMap((a) => [heading(a.label, 3), paragraph()]) : [paragraph()]),
      heading("Conclusion"),
      paragraph(),
    ],
  };
}
