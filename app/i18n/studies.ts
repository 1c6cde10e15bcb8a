export const studies = {
  list: {
    title: "Mes études",
    empty: "Vous ne participez encore à aucune étude. Un pilote peut vous inviter, ou un administrateur créer une étude.",
    role: "Votre rôle",
  },
} as const;
