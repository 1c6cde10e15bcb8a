export const admin = {
  title: "Administration",
  intro: "Créez les études et nommez leur premier pilote. L'administration ne donne pas accès au contenu des études.",
  list: {
    title: "Études de l'instance",
    empty: "Aucune étude pour l'instant.",
    study: "Étude",
    dates: "Dates",
    pilots: "Pilotes",
    members: "Membres",
    noPilot: "aucun",
  },
  create: {
    title: "Créer une étude",
    studyTitle: "Titre",
    summary: "Résumé",
    startsOn: "Début",
    endsOn: "Fin",
    pilotEmail: "Adresse e-mail du premier pilote",
    pilotName: "Nom du premier pilote",
    pilotNameHint: "Utilisé seulement si cette personne n'a pas encore de compte.",
    submit: "Créer l'étude",
    startingPoint: "L'étude démarre avec la typologie et la grille d'analyse de la démonstration, modifiables par le pilote.",
  },
  done: {
    pilotAdded: (title: string, name: string) => `Étude « ${title} » créée ; ${name} en est pilote.`,
    pilotInvited: (title: string, email: string) =>
      `Étude « ${title} » créée. ${email} n'a pas encore de compte : transmettez-lui ce lien d'invitation (valable 7 jours) :`,
  },
  copyLabel: "Lien d'invitation à copier",
  copy: "Copier",
  copied: "Copié",
} as const;
