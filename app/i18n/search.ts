import { formatNumber } from "./format";

export const search = {
  title: "Recherche",
  label: "Rechercher dans les comptes rendus et les enseignements",
  placeholder: "Ex. : coopération, Saint-Jean, cœur de bourg…",
  submit: "Rechercher",
  hint: "Majuscules et accents ignorés ; le dernier mot est cherché comme début de mot pendant la saisie.",
  reports: "Comptes rendus",
  findings: "Enseignements",
  count: (n: number, limit: number) =>
    n >= limit ? `${formatNumber(limit)} premiers résultats` : `${formatNumber(n)} ${n > 1 ? "résultats" : "résultat"}`,
  noReports: "Aucun compte rendu ne contient ces mots.",
  noFindings: "Aucun enseignement ne contient ces mots.",
  start: "Saisissez un ou plusieurs mots pour chercher dans les comptes rendus et les enseignements de l'étude.",
  openReport: "Ouvrir le compte rendu",
  openPassage: "Voir le passage",
} as const;
