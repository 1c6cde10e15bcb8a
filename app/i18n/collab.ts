/** Labels the collaboration server writes into stored versions (shown as is in the version list). */
export const collab = {
  automaticVersion: "Version automatique",
  beforeRestore: (label: string) => `Avant restauration de « ${label} »`,
  recoveredText: "Texte récupéré : écrit dans un passage supprimé entre-temps",
  recoveredHeading: "Texte récupéré, écrit dans un passage supprimé entre-temps :",
};
