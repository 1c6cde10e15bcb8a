import type { DB } from "../../db/client";
import { createStudyWithTeam } from "./factories";
import type { TestServer } from "./server";

export type StudyWithTeam = Awaited<ReturnType<typeof createStudyWithTeam>>;

/** The server's database with the study under test and a second one (for forged cross-study requests), each with its team. */
export async function twoStudiesWithTeams(server: TestServer): Promise<{ db: DB; team: StudyWithTeam; other: StudyWithTeam }> {
  const db = server.database.db;
  const team = await createStudyWithTeam(db);
  const other = await createStudyWithTeam(db);
  return { db, team, other };
}
