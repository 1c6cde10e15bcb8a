import type { ColumnType, Generated, Insertable, Selectable, Updateable } from "kysely";

/** ISO-8601 text, e.g. 2026-11-23T13:47:06.000Z. */
type Timestamp = string;
/** Calendar day, e.g. 2018-11-08. */
type Day = string;
type Flag = ColumnType<number, number | undefined, number>;

export type Role = "pilote" | "membre" | "lecteur";
export type MeetingKind = "visite" | "seminaire" | "webinaire" | "voyage";
export type MeetingStatus = "prevue" | "realisee" | "validee";
export type DocumentKind = "report" | "synthesis";

export interface UsersTable {
  id: string;
  email: string;
  name: string;
  color: string;
  password_hash: string | null;
  is_admin: Flag;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface SessionsTable {
  id: string;
  user_id: string;
  created_at: Timestamp;
  expires_at: Timestamp;
}

export interface LoginFailuresTable {
  id: Generated<number>;
  email: string;
  failed_at: Timestamp;
}

export interface StudiesTable {
  id: string;
  title: string;
  summary: ColumnType<string, string | undefined, string>;
  starts_on: Day | null;
  ends_on: Day | null;
  is_demo: Flag;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface MembershipsTable {
  study_id: string;
  user_id: string;
  role: Role;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface InvitationsTable {
  id: string;
  study_id: string;
  email: string;
  role: Role;
  token_hash: string;
  created_by: string | null;
  created_at: Timestamp;
  expires_at: Timestamp;
  accepted_at: Timestamp | null;
  revoked_at: Timestamp | null;
}

export interface PasswordResetsTable {
  id: string;
  user_id: string;
  token_hash: string;
  created_by: string | null;
  created_at: Timestamp;
  expires_at: Timestamp;
  used_at: Timestamp | null;
}

export interface DynamicTypesTable {
  id: string;
  study_id: string;
  key: string;
  label: string;
  definition: ColumnType<string, string | undefined, string>;
  position: number;
  archived_at: Timestamp | null;
}

export interface DynamicsTable {
  id: string;
  study_id: string;
  type_id: string;
  name: string;
  territory: ColumnType<string, string | undefined, string>;
  department: string | null;
  description: ColumnType<string, string | undefined, string>;
  website: string | null;
  archived_at: Timestamp | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface MeetingsTable {
  id: string;
  study_id: string;
  kind: MeetingKind;
  title: string;
  starts_on: Day;
  ends_on: Day | null;
  place: ColumnType<string, string | undefined, string>;
  status: MeetingStatus;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface MeetingDynamicsTable {
  meeting_id: string;
  dynamic_id: string;
}

export interface MeetingMembersTable {
  meeting_id: string;
  user_id: string;
}

export interface MeetingPeopleTable {
  id: string;
  meeting_id: string;
  organisation: string;
  role: ColumnType<string, string | undefined, string>;
  name: string | null;
  position: number;
}

export interface DocumentsTable {
  id: string;
  study_id: string;
  meeting_id: string | null;
  kind: DocumentKind;
  plain_text: ColumnType<string, string | undefined, string>;
  json: string | null;
  word_count: ColumnType<number, number | undefined, number>;
  created_at: Timestamp;
  updated_at: Timestamp;
  updated_by: string | null;
}

export interface DocumentUpdatesTable {
  id: Generated<number>;
  document_id: string;
  data: Uint8Array;
  created_at: Timestamp;
}

export interface DocumentEditorsTable {
  document_id: string;
  user_id: string;
  last_edited_at: Timestamp;
}

export interface DocumentVersionsTable {
  id: string;
  document_id: string;
  label: string;
  automatic: Flag;
  snapshot: Uint8Array;
  created_by: string | null;
  created_at: Timestamp;
}

export interface FindingKindsTable {
  study_id: string;
  key: string;
  label: string;
  has_audience: Flag;
  position: number;
}

export interface AudiencesTable {
  study_id: string;
  key: string;
  label: string;
  position: number;
}

export interface FactorFamiliesTable {
  id: string;
  study_id: string;
  key: string;
  label: string;
  color: string;
  position: number;
}

export interface FactorsTable {
  id: string;
  study_id: string;
  family_id: string;
  key: string;
  label: string;
  definition: ColumnType<string, string | undefined, string>;
  color: string | null;
  position: number;
  archived_at: Timestamp | null;
  merged_into: string | null;
}

export interface FindingsTable {
  seq: Generated<number>;
  id: string;
  study_id: string;
  document_id: string;
  kind: string;
  audience: string | null;
  comment: ColumnType<string, string | undefined, string>;
  quote: ColumnType<string, string | undefined, string>;
  orphaned_at: Timestamp | null;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  updated_by: string | null;
  /** Sorted, comma-joined ids of the link tables, written only by migration 0004's triggers. */
  factor_ids: ColumnType<string | null, never, never>;
  dynamic_ids: ColumnType<string | null, never, never>;
}

export interface FindingFactorsTable {
  finding_id: string;
  factor_id: string;
}

export interface FindingDynamicsTable {
  finding_id: string;
  dynamic_id: string;
}

export interface GridChangesTable {
  id: Generated<number>;
  study_id: string;
  user_id: string | null;
  changed_at: Timestamp;
  action: string;
  subject_id: string | null;
  /** JSON: what changed, before and after. */
  details: ColumnType<string, string | undefined, string>;
}

export interface Database {
  users: UsersTable;
  sessions: SessionsTable;
  login_failures: LoginFailuresTable;
  studies: StudiesTable;
  memberships: MembershipsTable;
  invitations: InvitationsTable;
  password_resets: PasswordResetsTable;
  dynamic_types: DynamicTypesTable;
  dynamics: DynamicsTable;
  meetings: MeetingsTable;
  meeting_dynamics: MeetingDynamicsTable;
  meeting_members: MeetingMembersTable;
  meeting_people: MeetingPeopleTable;
  documents: DocumentsTable;
  document_updates: DocumentUpdatesTable;
  document_editors: DocumentEditorsTable;
  document_versions: DocumentVersionsTable;
  finding_kinds: FindingKindsTable;
  audiences: AudiencesTable;
  factor_families: FactorFamiliesTable;
  factors: FactorsTable;
  findings: FindingsTable;
  finding_factors: FindingFactorsTable;
  finding_dynamics: FindingDynamicsTable;
  grid_changes: GridChangesTable;
}

export type User = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type UserUpdate = Updateable<UsersTable>;
export type Session = Selectable<SessionsTable>;
export type Study = Selectable<StudiesTable>;
export type NewStudy = Insertable<StudiesTable>;
export type StudyUpdate = Updateable<StudiesTable>;
export type Membership = Selectable<MembershipsTable>;
export type Invitation = Selectable<InvitationsTable>;
export type NewInvitation = Insertable<InvitationsTable>;
export type PasswordReset = Selectable<PasswordResetsTable>;
export type DynamicType = Selectable<DynamicTypesTable>;
export type NewDynamicType = Insertable<DynamicTypesTable>;
export type Dynamic = Selectable<DynamicsTable>;
export type NewDynamic = Insertable<DynamicsTable>;
export type DynamicUpdate = Updateable<DynamicsTable>;
export type Meeting = Selectable<MeetingsTable>;
export type NewMeeting = Insertable<MeetingsTable>;
export type MeetingUpdate = Updateable<MeetingsTable>;
export type MeetingPerson = Selectable<MeetingPeopleTable>;
export type NewMeetingPerson = Insertable<MeetingPeopleTable>;
export type Document = Selectable<DocumentsTable>;
export type NewDocument = Insertable<DocumentsTable>;
export type DocumentUpdate = Updateable<DocumentsTable>;
export type DocumentVersion = Selectable<DocumentVersionsTable>;
export type FactorFamily = Selectable<FactorFamiliesTable>;
export type Factor = Selectable<FactorsTable>;
export type Finding = Selectable<FindingsTable>;
export type NewFinding = Insertable<FindingsTable>;
export type FindingUpdate = Updateable<FindingsTable>;
export type GridChange = Selectable<GridChangesTable>;
