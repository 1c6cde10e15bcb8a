const q = (s: string) => `« ${s} »`;
const findingsCount = (n: number) => (n > 1 ? `${n} enseignements` : `${n} enseignement`);

export const grid = {
  tab: "Grille d'analyse",
  title: "Grille d'analyse",
  intro:
    "Les facteurs clés de succès, regroupés en familles, servent à marquer les enseignements des comptes rendus. Seul le pilote modifie la grille ; chaque modification est inscrite au journal.",
  families: {
    title: "Familles et facteurs",
    empty: "La grille ne contient encore aucune famille.",
    label: "Intitulé de la famille",
    color: "Couleur",
    colorHint: "Format #rrggbb, par exemple #d97706.",
    add: "Ajouter une famille",
    edit: "Modifier la famille",
    noFactors: "Aucun facteur dans cette famille.",
    delete: "Supprimer la famille",
    notEmpty: "Cette famille contient des facteurs : déplacez-les ou fusionnez-les avant de la supprimer.",
    duplicateLabel: "Une famille porte déjà cet intitulé.",
  },
  factors: {
    label: "Intitulé du facteur",
    definition: "Définition",
    color: "Couleur propre",
    colorHint: "Facultatif (#rrggbb) : laissez vide pour prendre la couleur de la famille.",
    family: "Famille",
    add: "Ajouter un facteur",
    count: findingsCount,
    none: "Aucun enseignement",
    noDefinition: "Pas de définition.",
    archived: "Archivé",
    mergedInto: (target: string) => `Fusionné dans ${q(target)}`,
    archive: "Archiver",
    unarchive: "Réactiver",
    delete: "Supprimer",
    deleteConfirm: (label: string) => `Supprimer le facteur ${q(label)} ? Il ne marque aucun enseignement ; cette action est définitive.`,
    usedCannotDelete: "Ce facteur marque des enseignements : il ne peut pas être supprimé, seulement archivé ou fusionné.",
    mergedCannotDelete: "Ce facteur a été fusionné : il est conservé pour que ses anciens marquages retrouvent leur facteur.",
    targetCannotDelete: "D'autres facteurs ont été fusionnés dans celui-ci : il ne peut pas être supprimé, seulement archivé.",
    mergedCannotUnarchive: "Ce facteur a été fusionné dans un autre : il ne peut pas être réactivé.",
    duplicateLabel: "Un facteur porte déjà cet intitulé.",
  },
  move: { up: "Monter", down: "Descendre" },
  merge: {
    target: "Facteur qui reçoit les enseignements",
    prepare: "Fusionner…",
    title: "Fusion de deux facteurs",
    explain: (from: string, to: string, moved: number, already: number) => {
      const what =
        moved === 0
          ? `Aucun enseignement n'est marqué ${q(from)}.`
          : moved === 1
            ? `L'enseignement marqué ${q(from)} sera marqué ${q(to)}${already > 0 ? " (il l'est déjà : il ne sera compté qu'une fois)" : ""}.`
            : `Les ${moved} enseignements marqués ${q(from)} seront marqués ${q(to)}` +
              (already === 0 ? "." : already === 1 ? " (1 l'est déjà et ne sera compté qu'une fois)." : ` (${already} le sont déjà et ne seront comptés qu'une fois).`);
      return `${what} ${q(from)} sera archivé et renverra désormais vers ${q(to)} : aucun enseignement n'est perdu, et les marquages des comptes rendus suivront ${q(to)}. La fusion ne peut pas être annulée.`;
    },
    confirm: "Confirmer la fusion",
    cancel: "Annuler",
    same: "Un facteur ne peut pas être fusionné dans lui-même.",
    alreadyMerged: "Ce facteur a déjà été fusionné.",
    inactiveTarget: "Choisissez comme cible un facteur actif (ni archivé ni fusionné).",
  },
  kinds: {
    title: "Types d'enseignement",
    label: (key: string) => `Intitulé du type (${key})`,
    hasAudience: "avec public visé",
    empty: "Aucun type d'enseignement.",
  },
  audiences: {
    title: "Publics des propositions",
    label: (key: string) => `Intitulé du public (${key})`,
    empty: "Aucun public.",
  },
  journal: {
    title: "Journal des modifications",
    empty: "Aucune modification de la grille pour l'instant.",
    when: "Date",
    who: "Par",
    what: "Modification",
    deletedUser: "Compte supprimé",
    fields: { label: "intitulé", definition: "définition", color: "couleur", family: "famille" } as Record<string, string>,
    noColor: "aucune",
    changed: (field: string) => `${field} modifiée`,
    fromTo: (field: string, before: string, after: string) => `${field} ${before} → ${after}`,
    familyCreated: (label: string, color: string) => `Famille ${q(label)} ajoutée (couleur ${color})`,
    familyUpdated: (label: string, diff: string) => `Famille ${q(label)} modifiée : ${diff}`,
    familyMoved: (label: string, up: boolean) => `Famille ${q(label)} ${up ? "montée" : "descendue"}`,
    familyDeleted: (label: string) => `Famille ${q(label)} supprimée`,
    factorCreated: (label: string, family: string) => `Facteur ${q(label)} ajouté dans la famille ${q(family)}`,
    factorUpdated: (label: string, diff: string) => `Facteur ${q(label)} modifié : ${diff}`,
    factorMoved: (label: string, up: boolean) => `Facteur ${q(label)} ${up ? "monté" : "descendu"}`,
    factorArchived: (label: string) => `Facteur ${q(label)} archivé`,
    factorUnarchived: (label: string) => `Facteur ${q(label)} réactivé`,
    factorDeleted: (label: string) => `Facteur ${q(label)} supprimé`,
    factorMerged: (label: string, into: string, moved: number, already: number) =>
      `Facteur ${q(label)} fusionné dans ${q(into)} : ` +
      (moved === 0 ? "aucun enseignement à reclasser" : `${findingsCount(moved)} reclassé${moved > 1 ? "s" : ""}`) +
      (already > 0 ? ` (dont ${already} déjà marqué${already > 1 ? "s" : ""} ${q(into)})` : ""),
    kindRenamed: (before: string, after: string) => `Type d'enseignement renommé : ${q(before)} → ${q(after)}`,
    audienceRenamed: (before: string, after: string) => `Public renommé : ${q(before)} → ${q(after)}`,
    unknown: "Modification de la grille",
  },
  quote: q,
} as const;
