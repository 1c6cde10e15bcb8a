import { formatNumber, plural } from "./format";

const findingsCount = (n: number) => plural(n, "enseignement", "enseignements");

/** « Générer un plan »: the button and the draft it inserts into the synthesis. */
export const plan = {
  button: "Générer un plan",
  loading: "Génération du plan…",
  hint: "Ajoute à la fin de la synthèse un plan modifiable tiré des enseignements ; rien de ce qui est écrit n'est remplacé.",
  failed: "Le plan n'a pas pu être généré. Vérifiez la connexion puis réessayez.",
  heading: (dateTime: string) => `Plan généré le ${dateTime}`,
  observed: (dynamics: number, types: readonly string[]) =>
    dynamics === 0
      ? "Observé sans dynamique associée."
      : `Observé dans ${plural(dynamics, "dynamique", "dynamiques")}${types.length > 0 ? ` (${types.length > 1 ? "types" : "type"} : ${types.join(", ")})` : ""}.`,
  factorsWithoutFindings: (labels: readonly string[]) => `Facteurs sans enseignement : ${labels.join(", ")}.`,
  propositions: "Propositions",
  noProposition: "Aucune proposition pour ce public pour l'instant.",
  morePropositions: (n: number) =>
    `Et ${formatNumber(n)} autres ${n > 1 ? "propositions" : "proposition"} pour ce public : voir les enseignements filtrés par public.`,
};

/** The provenance view of the synthesis: where every citation comes from, and what is not cited yet. */
export const provenance = {
  title: "Provenance de la synthèse",
  intro: "Chaque citation de la synthèse avec sa source, dans l'ordre du document, puis ce qui n'est pas encore cité.",
  backToSynthesis: "Retour à la synthèse",
  noSynthesis: "La synthèse de cette étude n'a pas encore été ouverte.",
  openSynthesis: "Ouvrir la synthèse",
  citations: "Citations",
  citationsCount: (n: number) => plural(n, "citation", "citations"),
  noCitation: "La synthèse ne contient encore aucune citation.",
  quoteInSynthesis: "Dans la synthèse",
  liveQuote: "Texte actuel du passage",
  citedSource: "Source dans la synthèse",
  openPassage: "Voir le passage dans le compte rendu",
  unknownSource: "Source inconnue",
  status: {
    current: "À jour",
    stale: "Source modifiée",
    orphaned: "Passage supprimé",
    deleted: "Enseignement supprimé",
  },
  statusHint: {
    current: "La citation reprend le texte actuel du passage.",
    stale: "Le passage ou sa source (visite, dynamique, date) a changé depuis la citation : mettez-la à jour dans la synthèse.",
    orphaned: "Le passage source a été supprimé du compte rendu.",
    deleted: "L'enseignement cité n'existe plus ; la citation garde le texte et la source d'origine.",
  },
  uncited: "Enseignements non encore cités",
  uncitedCount: (n: number) => `${findingsCount(n)} non ${n > 1 ? "cités" : "cité"}`,
  uncitedNone: "Tous les enseignements sont cités dans la synthèse.",
  uncitedFirst: (shown: number) => `Les ${formatNumber(shown)} plus récents :`,
  browseAll: "Parcourir tous les enseignements",
  factorsWithout: "Facteurs sans citation",
  factorsWithoutNone: "Chaque facteur de la grille est cité au moins une fois.",
  noFactors: "La grille d'analyse de l'étude ne compte encore aucun facteur.",
  factorFindings: (n: number) => (n === 0 ? "aucun enseignement" : `${findingsCount(n)} ${n > 1 ? "disponibles" : "disponible"}`),
};
