/** Strings of the REFI-QDA exports (.qdpx project, .qdc codebook): links and exported labels. */
export const refiQda = {
  links: {
    project: "Exporter le projet REFI-QDA (.qdpx)",
    projectHint: "Pour ATLAS.ti, MAXQDA, NVivo ou QualCoder : comptes rendus, grille et enseignements codés.",
    grid: "Exporter la grille (.qdc)",
    gridHint: "La grille seule, comme livre de codes REFI-QDA.",
  },
  variables: {
    dynamicType: "Type de dynamique",
    territory: "Territoire",
    visitDate: "Date de la visite",
  },
  source: (day: string, place: string) => (place ? `Visite du ${day} — ${place}` : `Visite du ${day}`),
  selection: (kind: string, audience: string | null, comment: string) =>
    [audience ? `${kind} · Public : ${audience}` : kind, comment].filter(Boolean).join("\n"),
} as const;
