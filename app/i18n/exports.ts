/** Strings of the document exports (DOCX, Markdown, print) and of their download links. */
export const exportsText = {
  /** File-name prefixes: ASCII so that every system keeps them as they are. */
  fileNames: {
    findings: "enseignements",
    synthesis: "synthese",
    report: "compte-rendu",
    project: "etude",
    grid: "grille",
  },
  links: {
    label: "Exporter :",
    navLabel: "Exporter le document",
    docx: "Word (.docx)",
    markdown: "Markdown",
    print: "Imprimer / PDF",
  },
  document: {
    creator: "Terrain",
    generatedBy: "Document généré par Terrain",
    generatedOn: (day: string) => `Exporté le ${day}`,
    synthesisTitle: "Synthèse",
    reportTitle: (visit: string) => `Compte rendu — ${visit}`,
    visitDate: (when: string) => `Visite : ${when}`,
    sourceLink: "voir le passage",
  },
} as const;
