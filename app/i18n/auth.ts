export const auth = {
  login: {
    title: "Connexion",
    email: "Adresse e-mail",
    password: "Mot de passe",
    submit: "Se connecter",
    invalid: "Adresse e-mail ou mot de passe incorrect.",
    throttled: "Trop de tentatives échouées. Réessayez dans quelques minutes.",
    demoTitle: "Comptes de démonstration",
    demoText: "La base contient l'étude de démonstration. Mot de passe de chaque compte :",
  },
  logout: "Se déconnecter",
  sessionExpired: "Votre session a expiré : reconnectez-vous.",
} as const;
