import type { MeetingKind, MeetingStatus } from "../../db/schema";

// Shared by the forms in the browser and the validation on the server, hence not in a .server module.
export const MEETING_KINDS = ["visite", "seminaire", "webinaire", "voyage"] as const satisfies readonly MeetingKind[];
export const MEETING_STATUSES = ["prevue", "realisee", "validee"] as const satisfies readonly MeetingStatus[];
