import type { AppLoadContext } from "@remix-run/node";
import { listDynamics, listDynamicTypes } from "../../db/queries/dynamics";
import { listStudyMeetingDynamics } from "../../db/queries/meetings";
import { listStudyMembers } from "../../db/queries/memberships";
import type { MeetingStatus, Role } from "../../db/schema";
import { loadTimeline } from "./meetings.server";

export type VisitState = MeetingStatus | "none";
const STATE_RANK: Record<VisitState, number> = { none: 0, prevue: 1, realisee: 2, validee: 3 };
const LIST_LENGTH = 5;

/** The study at a glance: figures, active dynamics by type with how far their visits went, meetings, team. */
export async function loadDashboard(context: AppLoadContext, studyId: string) {
  const [types, dynamics, meetings, links, members] = await Promise.all([
    listDynamicTypes(context.db, studyId),
    listDynamics(context.db, studyId),
    loadTimeline(context, studyId),
    listStudyMeetingDynamics(context.db, studyId),
    listStudyMembers(context.db, studyId),
  ]);

  const statusOf = new Map(meetings.map((m) => [m.id, m.status]));
  const stateOf = new Map<string, VisitState>();
  for (const link of links) {
    const status = statusOf.get(link.meeting_id)!;
    const current = stateOf.get(link.id) ?? "none";
    if (STATE_RANK[status] > STATE_RANK[current]) stateOf.set(link.id, status);
  }
  const withState = dynamics.map((d) => ({
    id: d.id,
    typeId: d.type_id,
    name: d.name,
    territory: d.territory,
    department: d.department,
    state: stateOf.get(d.id) ?? "none",
  }));
  const visited = withState.filter((d) => d.state === "realisee" || d.state === "validee").length;

  const countStatus = (status: MeetingStatus) => meetings.filter((m) => m.status === status).length;
  const countRole = (role: Role) => members.filter((m) => m.role === role).length;

  return {
    figures: {
      dynamics: dynamics.length,
      planned: countStatus("prevue"),
      done: countStatus("realisee"),
      validated: countStatus("validee"),
      visited,
      visitedPercent: dynamics.length === 0 ? 0 : Math.round((visited / dynamics.length) * 100),
      team: { pilote: countRole("pilote"), membre: countRole("membre"), lecteur: countRole("lecteur") },
    },
    byType: types
      .map((type) => ({ id: type.id, label: type.label, dynamics: withState.filter((d) => d.typeId === type.id) }))
      .filter((group) => group.dynamics.length > 0),
    nextMeetings: meetings.filter((m) => m.status === "prevue").slice(0, LIST_LENGTH),
    latestMeetings: meetings
      .filter((m) => m.status !== "prevue")
      .reverse()
      .slice(0, LIST_LENGTH),
    team: members.map((m) => ({ id: m.id, name: m.name, color: m.color, role: m.role })),
  };
}
