import type { Kysely } from "kysely";
import { sql } from "kysely";

// Frozen in time: never import application code here, never edit once landed.
// Timestamps are ISO-8601 text and booleans 0/1 integers so the same shape maps to PostgreSQL.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("users")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("email", "text", (c) => c.notNull().unique())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("color", "text", (c) => c.notNull())
    .addColumn("password_hash", "text")
    .addColumn("is_admin", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("sessions")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("sessions_user_idx").on("sessions").column("user_id").execute();

  await db.schema
    .createTable("login_failures")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("email", "text", (c) => c.notNull())
    .addColumn("failed_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("login_failures_email_idx")
    .on("login_failures")
    .columns(["email", "failed_at"])
    .execute();

  await db.schema
    .createTable("studies")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("summary", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("starts_on", "text")
    .addColumn("ends_on", "text")
    .addColumn("is_demo", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_by", "text", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("memberships")
    .addColumn("study_id", "text", (c) => c.notNull().references("studies.id").onDelete("cascade"))
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("role", "text", (c) => c.notNull().check(sql`role in ('pilote', 'membre', 'lecteur')`))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("memberships_pk", ["study_id", "user_id"])
    .execute();
  await db.schema.createIndex("memberships_user_idx").on("memberships").column("user_id").execute();

  await db.schema
    .createTable("invitations")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("study_id", "text", (c) => c.notNull().references("studies.id").onDelete("cascade"))
    .addColumn("email", "text", (c) => c.notNull())
    .addColumn("role", "text", (c) => c.notNull().check(sql`role in ('pilote', 'membre', 'lecteur')`))
    .addColumn("token_hash", "text", (c) => c.notNull().unique())
    .addColumn("created_by", "text", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .addColumn("accepted_at", "text")
    .addColumn("revoked_at", "text")
    .execute();
  await db.schema.createIndex("invitations_study_idx").on("invitations").column("study_id").execute();

  await db.schema
    .createTable("password_resets")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("token_hash", "text", (c) => c.notNull().unique())
    .addColumn("created_by", "text", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .addColumn("used_at", "text")
    .execute();

  await db.schema
    .createTable("dynamic_types")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("study_id", "text", (c) => c.notNull().references("studies.id").onDelete("cascade"))
    .addColumn("key", "text", (c) => c.notNull())
    .addColumn("label", "text", (c) => c.notNull())
    .addColumn("definition", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("archived_at", "text")
    .addUniqueConstraint("dynamic_types_study_key_uq", ["study_id", "key"])
    .execute();

  await db.schema
    .createTable("dynamics")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("study_id", "text", (c) => c.notNull().references("studies.id").onDelete("cascade"))
    .addColumn("type_id", "text", (c) => c.notNull().references("dynamic_types.id"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("territory", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("department", "text")
    .addColumn("description", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("website", "text")
    .addColumn("archived_at", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("dynamics_study_idx").on("dynamics").column("study_id").execute();

  await db.schema
    .createTable("meetings")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("study_id", "text", (c) => c.notNull().references("studies.id").onDelete("cascade"))
    .addColumn("kind", "text", (c) =>
      c.notNull().check(sql`kind in ('visite', 'seminaire', 'webinaire', 'voyage')`),
    )
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("starts_on", "text", (c) => c.notNull())
    .addColumn("ends_on", "text")
    .addColumn("place", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("status", "text", (c) =>
      c.notNull().check(sql`status in ('prevue', 'realisee', 'validee')`),
    )
    .addColumn("created_by", "text", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("meetings_study_idx").on("meetings").columns(["study_id", "starts_on"]).execute();

  await db.schema
    .createTable("meeting_dynamics")
    .addColumn("meeting_id", "text", (c) => c.notNull().references("meetings.id").onDelete("cascade"))
    .addColumn("dynamic_id", "text", (c) => c.notNull().references("dynamics.id"))
    .addPrimaryKeyConstraint("meeting_dynamics_pk", ["meeting_id", "dynamic_id"])
    .execute();
  await db.schema.createIndex("meeting_dynamics_dynamic_idx").on("meeting_dynamics").column("dynamic_id").execute();

  await db.schema
    .createTable("meeting_members")
    .addColumn("meeting_id", "text", (c) => c.notNull().references("meetings.id").onDelete("cascade"))
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addPrimaryKeyConstraint("meeting_members_pk", ["meeting_id", "user_id"])
    .execute();

  await db.schema
    .createTable("meeting_people")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("meeting_id", "text", (c) => c.notNull().references("meetings.id").onDelete("cascade"))
    .addColumn("organisation", "text", (c) => c.notNull())
    .addColumn("role", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("name", "text")
    .addColumn("position", "integer", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("meeting_people_meeting_idx").on("meeting_people").column("meeting_id").execute();

  await db.schema
    .createTable("documents")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("study_id", "text", (c) => c.notNull().references("studies.id").onDelete("cascade"))
    .addColumn("meeting_id", "text", (c) => c.references("meetings.id").onDelete("cascade"))
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('report', 'synthesis')`))
    .addColumn("plain_text", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("json", "text")
    .addColumn("word_count", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("updated_by", "text", (c) => c.references("users.id").onDelete("set null"))
    .execute();
  await db.schema.createIndex("documents_study_idx").on("documents").column("study_id").execute();
  await db.schema.createIndex("documents_meeting_idx").on("documents").column("meeting_id").unique().execute();

  // The Yjs update log: appended before broadcast, compacted into one row from the server's Y.Doc.
  await db.schema
    .createTable("document_updates")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("document_id", "text", (c) => c.notNull().references("documents.id").onDelete("cascade"))
    .addColumn("data", "blob", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("document_updates_document_idx")
    .on("document_updates")
    .columns(["document_id", "id"])
    .execute();

  await db.schema
    .createTable("document_editors")
    .addColumn("document_id", "text", (c) => c.notNull().references("documents.id").onDelete("cascade"))
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("last_edited_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("document_editors_pk", ["document_id", "user_id"])
    .execute();

  await db.schema
    .createTable("document_versions")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("document_id", "text", (c) => c.notNull().references("documents.id").onDelete("cascade"))
    .addColumn("label", "text", (c) => c.notNull())
    .addColumn("automatic", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("snapshot", "blob", (c) => c.notNull())
    .addColumn("created_by", "text", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("document_versions_document_idx")
    .on("document_versions")
    .columns(["document_id", "created_at"])
    .execute();

  // The analysis grid is stored with the study from the start; the tagging issue uses it.
  await db.schema
    .createTable("finding_kinds")
    .addColumn("study_id", "text", (c) => c.notNull().references("studies.id").onDelete("cascade"))
    .addColumn("key", "text", (c) => c.notNull())
    .addColumn("label", "text", (c) => c.notNull())
    .addColumn("has_audience", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("position", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("finding_kinds_pk", ["study_id", "key"])
    .execute();

  await db.schema
    .createTable("audiences")
    .addColumn("study_id", "text", (c) => c.notNull().references("studies.id").onDelete("cascade"))
    .addColumn("key", "text", (c) => c.notNull())
    .addColumn("label", "text", (c) => c.notNull())
    .addColumn("position", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("audiences_pk", ["study_id", "key"])
    .execute();

  await db.schema
    .createTable("factor_families")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("study_id", "text", (c) => c.notNull().references("studies.id").onDelete("cascade"))
    .addColumn("key", "text", (c) => c.notNull())
    .addColumn("label", "text", (c) => c.notNull())
    .addColumn("color", "text", (c) => c.notNull())
    .addColumn("position", "integer", (c) => c.notNull())
    .addUniqueConstraint("factor_families_study_key_uq", ["study_id", "key"])
    .execute();

  await db.schema
    .createTable("factors")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("study_id", "text", (c) => c.notNull().references("studies.id").onDelete("cascade"))
    .addColumn("family_id", "text", (c) => c.notNull().references("factor_families.id"))
    .addColumn("key", "text", (c) => c.notNull())
    .addColumn("label", "text", (c) => c.notNull())
    .addColumn("definition", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("color", "text")
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("archived_at", "text")
    .addColumn("merged_into", "text", (c) => c.references("factors.id"))
    .addUniqueConstraint("factors_study_key_uq", ["study_id", "key"])
    .execute();
  await db.schema.createIndex("factors_family_idx").on("factors").column("family_id").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    "factors",
    "factor_families",
    "audiences",
    "finding_kinds",
    "document_versions",
    "document_editors",
    "document_updates",
    "documents",
    "meeting_people",
    "meeting_members",
    "meeting_dynamics",
    "meetings",
    "dynamics",
    "dynamic_types",
    "password_resets",
    "invitations",
    "memberships",
    "studies",
    "login_failures",
    "sessions",
    "users",
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
