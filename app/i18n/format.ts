const dayFormat = new Intl.DateTimeFormat("fr-FR", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
const dateTimeFormat = new Intl.DateTimeFormat("fr-FR", {
  day: "numeric",
  month: "long",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  timeZone: "Europe/Paris",
});
const numberFormat = new Intl.NumberFormat("fr-FR");

/** A calendar day stored as YYYY-MM-DD, shown as « 8 novembre 2018 ». */
export function formatDay(day: string | null | undefined): string {
  if (!day) return "";
  const date = new Date(`${day}T00:00:00Z`);
  return Number.isNaN(date.getTime()) ? day : dayFormat.format(date);
}

/** « du 8 au 9 novembre 2018 » style ranges, or a single day. */
export function formatDayRange(start: string | null | undefined, end: string | null | undefined): string {
  if (!start) return "";
  if (!end || end === start) return formatDay(start);
  return `du ${formatDay(start)} au ${formatDay(end)}`;
}

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return "";
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateTimeFormat.format(date);
}

export function formatNumber(n: number): string {
  return numberFormat.format(n);
}

/** « 1 visite », « 3 visites ». */
export function plural(n: number, one: string, many: string): string {
  return `${formatNumber(n)} ${n > 1 ? many : one}`;
}

const monthFormat = new Intl.DateTimeFormat("fr-FR", { month: "long", year: "numeric", timeZone: "UTC" });

/** The month of a YYYY-MM-DD day, « novembre 2018 », for timelines grouped by month. */
export function formatMonth(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  return Number.isNaN(date.getTime()) ? day : monthFormat.format(date);
}
