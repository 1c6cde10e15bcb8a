/**
 * Generated French prose for the findings benchmark: varied enough for full-text search to have
 * common words (« coopération »), rare ones (« méthanisation »), prefixes (« agri… ») and the
 * ligature œ (« cœur », « œuvre ») to find. Deterministic: the same seed gives the same study.
 */

/** mulberry32: a small seeded generator, so that two runs measure the same data. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Random = () => number;

export const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

const SUBJECTS = [
  "Les habitants",
  "L'équipe du tiers-lieu",
  "La mairie",
  "Les agriculteurs du plateau",
  "Le collectif",
  "Les élus de la communauté de communes",
  "Une bénévole de la première heure",
  "Le coordinateur",
  "Les associations du quartier",
  "La coopérative d'activités",
  "Les jeunes du village",
  "Le réseau des fermes",
  "La présidente de l'association",
  "Les partenaires financeurs",
  "L'animatrice du pôle",
  "Les sœurs du couvent voisin",
];
const VERBS = [
  "ont construit",
  "racontent",
  "ont mis en œuvre",
  "portent",
  "défendent",
  "ont découvert",
  "soulignent",
  "animent",
  "financent",
  "ont relancé",
  "expérimentent",
  "regrettent",
  "ont négocié",
];
const OBJECTS = [
  "un projet de territoire partagé",
  "la coopération entre structures",
  "une épicerie solidaire au cœur du bourg",
  "un atelier de réparation de vélos",
  "des chantiers participatifs",
  "la gouvernance partagée du lieu",
  "une cantine approvisionnée en circuit court",
  "un fonds de dotation local",
  "la rénovation énergétique des logements",
  "une monnaie locale complémentaire",
  "des formations à l'agroécologie",
  "un marché de producteurs agricoles",
  "les vœux de la municipalité",
  "une maison de santé pluriprofessionnelle",
  "une coopération durable avec le lycée",
  "la reprise d'une friche industrielle",
];
const COMPLEMENTS = [
  "depuis trois ans",
  "malgré des financements précaires",
  "avec l'appui de la Région",
  "grâce à un facilitateur reconnu",
  "sans soutien des pouvoirs publics",
  "en lien avec le lycée agricole",
  "au prix de nombreuses réunions",
  "dans une ambiance conviviale",
  "à l'écart des dispositifs habituels",
  "après une longue période de défiance",
  "pour redonner du cœur à l'ouvrage",
  "avec une agritouriste devenue élue",
  "à Saint-Jean-de-Laur comme à Cajarc",
  "sans que personne ne s'en étonne",
];
/** The rare word: in about one sentence in 500. */
const RARE = "Le projet de méthanisation a divisé les élus pendant des mois.";

export function sentence(random: Random): string {
  if (random() < 0.002) return RARE;
  const body = `${pick(random, SUBJECTS)} ${pick(random, VERBS)} ${pick(random, OBJECTS)} ${pick(random, COMPLEMENTS)}`;
  return `${body}${random() < 0.15 ? ", et la coopération s'en trouve renforcée" : ""}.`;
}

export function paragraph(random: Random, sentences: number): string[] {
  return Array.from({ length: sentences }, () => sentence(random));
}

export const COMMENTS = [
  "À confronter avec la visite suivante.",
  "Cité par plusieurs personnes rencontrées.",
  "Point de vue d'un élu : à nuancer.",
  "Exemple frappant, à reprendre dans la synthèse.",
  "Lien avec le cœur de l'étude.",
];
