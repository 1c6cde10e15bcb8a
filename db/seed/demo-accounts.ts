/** The demo accounts, listed in README and on the login page while the demo study is loaded. */
export const DEMO_PASSWORD = "terrain-demo";
export const DEMO_ACCOUNTS = [
  { email: "pilote@example.org", name: "Camille Pilote", role: "pilote", color: "#b45309" },
  { email: "membre@example.org", name: "Malik Membre", role: "membre", color: "#2563eb" },
  { email: "lecteur@example.org", name: "Léa Lectrice", role: "lecteur", color: "#059669" },
] as const;
