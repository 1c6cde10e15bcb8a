import type { DB } from "../client";
import { insertDocument } from "../queries/documents";
import { insertDynamic } from "../queries/dynamics";
import { insertMeeting, setMeetingDynamics, setMeetingMembers, setMeetingPeople } from "../queries/meetings";
import { upsertMembership } from "../queries/memberships";
import { insertStudy } from "../queries/studies";
import { insertUser } from "../queries/users";
import dynamicsData from "./demo/dynamics.json" with { type: "json" };
import visitsData from "./demo/visits.json" with { type: "json" };
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from "./demo-accounts";
import { insertStartingPoint } from "./starting-point";

export type DemoVisit = (typeof visitsData.visits)[number];
export type DemoReport = NonNullable<DemoVisit["report"]>;

export interface DemoSeedResult {
  studyId: string;
  /** Report documents created for visits whose demo data carries a report, with that report. */
  reports: { documentId: string; report: DemoReport }[];
}

/**
 * Loads the demo study into an empty database, in one transaction.
 * `hashPassword` is passed in so db/ does not depend on the app's hashing choice.
 */
export async function seedDemo(db: DB, hashPassword: (pw: string) => Promise<string>): Promise<DemoSeedResult> {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  return db.transaction().execute(async (trx) => {
    const users = [];
    for (const account of DEMO_ACCOUNTS) {
      users.push({
        role: account.role,
        user: await insertUser(trx, { email: account.email, name: account.name, color: account.color, password_hash: passwordHash }),
      });
    }
    const pilot = users[0]!.user;
    const { study: s } = dynamicsData;
    const study = await insertStudy(trx, {
      title: s.title,
      summary: s.summary,
      starts_on: s.startsOn,
      ends_on: s.endsOn,
      is_demo: 1,
      created_by: pilot.id,
    });
    for (const { user, role } of users) await upsertMembership(trx, study.id, user.id, role);

    const typeIds = await insertStartingPoint(trx, study.id);
    const dynamicIds = new Map<string, string>();
    for (const d of dynamicsData.dynamics) {
      const row = await insertDynamic(trx, {
        study_id: study.id,
        type_id: typeIds.get(d.type)!,
        name: d.name,
        territory: d.territory,
        department: d.department,
      });
      dynamicIds.set(d.name, row.id);
    }

    const reports: DemoSeedResult["reports"] = [];
    for (const v of visitsData.visits) {
      const meeting = await insertMeeting(trx, {
        study_id: study.id,
        kind: "visite",
        title: v.title,
        starts_on: v.startsOn,
        ends_on: v.endsOn,
        place: v.place,
        status: v.status as "realisee",
        created_by: pilot.id,
      });
      await setMeetingDynamics(trx, meeting.id, v.dynamics.map((name) => dynamicIds.get(name)!));
      await setMeetingMembers(trx, meeting.id, [pilot.id, users[1]!.user.id]);
      await setMeetingPeople(trx, meeting.id, v.peopleMet.map((p) => ({ organisation: p.organisation, role: p.role })));
      const doc = await insertDocument(trx, { studyId: study.id, kind: "report", meetingId: meeting.id });
      if (v.report) reports.push({ documentId: doc.id, report: v.report });
    }
    return { studyId: study.id, reports };
  });
}
