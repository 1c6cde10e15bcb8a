import { describe, expect, it } from "vitest";
import { findMembership } from "../../db/queries/memberships";
import { deleteUser, findUserByEmail, findUserById } from "../../db/queries/users";
import type { Role } from "../../db/schema";
import { CLOSE } from "../../server/collab/close-codes";
import { connectCollab, sessionCookieHeader, waitForSync } from "../helpers/collab";
import { addMember, createInvitation, createMeeting, createStudyWithTeam, createUser, TEST_PASSWORD } from "../helpers/factories";
import { loginClient, pageText, TestClient, visibleText } from "../helpers/http";
import { testServerForFile } from "../helpers/server";

const server = testServerForFile();
const db = () => server().database.db;

const NEW_PASSWORD = "un-nouveau-mot-de-passe";

const clientFor = (email: string, password = TEST_PASSWORD) => loginClient(server().url, email, password);

/** The link the page shows for copying (invitation or reset). */
async function shownLink(response: Response, kind: "invitation" | "reinitialisation"): Promise<string> {
  const html = await response.text();
  const match = new RegExp(`https?://[^"\\s<]+/${kind}/([A-Za-z0-9_-]{43})`).exec(html);
  if (!match) throw new Error(`Aucun lien /${kind}/ dans la page : ${visibleText(html).slice(0, 500)}`);
  return new URL(match[0]).pathname;
}

const teamPath = (studyId: string) => `/etudes/${studyId}/equipe`;

async function roleOf(studyId: string, userId: string): Promise<Role | undefined> {
  return (await findMembership(db(), studyId, userId))?.role;
}

describe("the team page", () => {
  it("shows every member to a lecteur, without any edit control", async () => {
    const { study, pilote, membre, lecteur } = await createStudyWithTeam(db());
    const response = await (await clientFor(lecteur.email)).get(teamPath(study.id));
    expect(response.status).toBe(200);
    const text = await pageText(response);
    for (const user of [pilote, membre, lecteur]) {
      expect(text).toContain(user.name);
      expect(text).toContain(user.email);
    }
    expect(text).toMatch(/Pilote.*Membre.*Lecteur|Lecteur.*Membre.*Pilote/);
    expect(text).not.toContain("Inviter une personne");
    expect(text).not.toContain("Retirer de l'étude");
    expect(text).not.toContain("Invitations en attente");
  });

  it("gives the pilot the edit controls and the pending invitations", async () => {
    const { study, pilote } = await createStudyWithTeam(db());
    await createInvitation(db(), { studyId: study.id, email: "attente@example.org", role: "lecteur", createdBy: pilote.id });
    const text = await pageText(await (await clientFor(pilote.email)).get(teamPath(study.id)));
    expect(text).toContain("Inviter une personne");
    expect(text).toContain("Retirer de l'étude");
    expect(text).toContain("Changer le rôle");
    expect(text).toContain("Invitations en attente");
    expect(text).toContain("attente@example.org");
    expect(text).toContain(pilote.name);
  });

  it("answers 404 to a non-member and sends an anonymous visitor to the login page", async () => {
    const { study, outsider } = await createStudyWithTeam(db());
    expect((await (await clientFor(outsider.email)).get(teamPath(study.id))).status).toBe(404);
    const anonymous = await new TestClient(server().url).get(teamPath(study.id));
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("location")).toMatch(/^\/connexion\?redirectTo=/);
  });
});

describe("inviting a new person", () => {
  it("goes from the pilot's invitation to the invitee's first visit, with the right role", async () => {
    const { study, pilote } = await createStudyWithTeam(db());
    const pilot = await clientFor(pilote.email);
    const invited = await pilot.post(teamPath(study.id), { intent: "invite", email: "Nouvelle@Example.org", role: "membre" });
    expect(invited.status).toBe(200);
    const link = await shownLink(invited.clone(), "invitation");
    expect(await pageText(invited)).toContain("Invitation créée pour nouvelle@example.org");

    const pending = await pageText(await pilot.get(teamPath(study.id)));
    expect(pending).toContain("nouvelle@example.org");
    expect(pending).toContain(pilote.name);

    const invitee = new TestClient(server().url);
    const form = await pageText(await invitee.get(link));
    expect(form).toContain(study.title);
    expect(form).toContain("membre");
    expect(form).toContain("Créez votre compte");

    const accepted = await invitee.post(link, { name: "Nina Nouvelle", password: NEW_PASSWORD, confirmation: NEW_PASSWORD });
    expect(accepted.status).toBe(302);
    expect(accepted.headers.get("location")).toBe(`/etudes/${study.id}`);

    const team = await invitee.get(teamPath(study.id));
    expect(team.status).toBe(200);
    const teamText = await pageText(team);
    expect(teamText).toContain("Nina Nouvelle");
    expect(teamText).not.toContain("Inviter une personne");
    const user = await findUserByEmail(db(), "nouvelle@example.org");
    expect(await roleOf(study.id, user!.id)).toBe("membre");

    // The invitation is used up: the pending list no longer shows it, the link no longer works.
    expect(await pageText(await pilot.get(teamPath(study.id)))).not.toMatch(/Invitations en attente.*nouvelle@example\.org/);
    const reused = await new TestClient(server().url).get(link);
    expect(reused.status).toBe(410);
    expect(await pageText(reused)).toContain("Cette invitation a déjà été utilisée.");
    const reposted = await new TestClient(server().url).post(link, { name: "Autre", password: NEW_PASSWORD, confirmation: NEW_PASSWORD });
    expect(reposted.status).toBe(410);
  });

  it("refuses an expired invitation with a French message and creates nothing", async () => {
    const { study } = await createStudyWithTeam(db());
    const { invitation, token } = await createInvitation(db(), { studyId: study.id, email: "tard@example.org", role: "membre" });
    await db().updateTable("invitations").set({ expires_at: new Date(Date.now() - 60_000).toISOString() }).where("id", "=", invitation.id).execute();
    const client = new TestClient(server().url);
    const page = await client.get(`/invitation/${token}`);
    expect(page.status).toBe(410);
    expect(await pageText(page)).toContain("Ce lien d'invitation a expiré.");
    const post = await client.post(`/invitation/${token}`, { name: "Tard", password: NEW_PASSWORD, confirmation: NEW_PASSWORD });
    expect(post.status).toBe(410);
    expect(await findUserByEmail(db(), "tard@example.org")).toBeUndefined();
  });

  it("lets the pilot revoke an invitation, after which its link is refused", async () => {
    const { study, pilote } = await createStudyWithTeam(db());
    const pilot = await clientFor(pilote.email);
    const link = await shownLink(await pilot.post(teamPath(study.id), { intent: "invite", email: "revoque@example.org", role: "lecteur" }), "invitation");
    const row = await db().selectFrom("invitations").select("id").where("email", "=", "revoque@example.org").executeTakeFirstOrThrow();
    const revoked = await pilot.post(teamPath(study.id), { intent: "revoke", invitationId: row.id });
    expect(revoked.status).toBe(200);
    expect(await pageText(revoked)).toContain("L'invitation a été révoquée");
    const page = await new TestClient(server().url).get(link);
    expect(page.status).toBe(410);
    expect(await pageText(page)).toContain("Cette invitation a été révoquée.");
  });

  it("answers an unknown token with a French 404 page, not a server error", async () => {
    const page = await new TestClient(server().url).get(`/invitation/${"x".repeat(43)}`);
    expect(page.status).toBe(404);
    expect(await pageText(page)).toContain("Ce lien d'invitation n'existe pas.");
  });

  it("replaces a pending invitation when the same address is invited again", async () => {
    const { study, pilote } = await createStudyWithTeam(db());
    const pilot = await clientFor(pilote.email);
    const first = await shownLink(await pilot.post(teamPath(study.id), { intent: "invite", email: "deux@example.org", role: "lecteur" }), "invitation");
    const second = await shownLink(await pilot.post(teamPath(study.id), { intent: "invite", email: "deux@example.org", role: "membre" }), "invitation");
    expect((await new TestClient(server().url).get(first)).status).toBe(410);
    const page = await new TestClient(server().url).get(second);
    expect(page.status).toBe(200);
    expect(await pageText(page)).toContain("membre");
    const pending = await db().selectFrom("invitations").selectAll().where("study_id", "=", study.id).where("revoked_at", "is", null).execute();
    expect(pending).toHaveLength(1);
  });

  it("says so when the invited person is already a member", async () => {
    const { study, pilote, membre } = await createStudyWithTeam(db());
    const response = await (await clientFor(pilote.email)).post(teamPath(study.id), { intent: "invite", email: membre.email, role: "lecteur" });
    expect(response.status).toBe(400);
    expect(await pageText(response)).toContain("Cette personne est déjà membre de l'étude.");
    expect(await roleOf(study.id, membre.id)).toBe("membre");
    expect(await db().selectFrom("invitations").select("id").where("study_id", "=", study.id).execute()).toHaveLength(0);
  });

  it("asks an existing account for its password, then adds it to the study", async () => {
    const { study, outsider } = await createStudyWithTeam(db());
    const { token } = await createInvitation(db(), { studyId: study.id, email: outsider.email, role: "lecteur" });
    const client = new TestClient(server().url);
    expect(await pageText(await client.get(`/invitation/${token}`))).toContain("Un compte existe déjà avec cette adresse");
    const wrong = await client.post(`/invitation/${token}`, { password: "pas-le-bon-mot-de-passe" });
    expect(wrong.status).toBe(400);
    expect(await pageText(wrong)).toContain("Mot de passe incorrect.");
    expect(await roleOf(study.id, outsider.id)).toBeUndefined();
    const right = await client.post(`/invitation/${token}`, { password: TEST_PASSWORD });
    expect(right.status).toBe(302);
    expect(right.headers.get("location")).toBe(`/etudes/${study.id}`);
    expect(await roleOf(study.id, outsider.id)).toBe("lecteur");
    expect((await client.get(teamPath(study.id))).status).toBe(200);
  });

  it("lets the invited account join with one click when already logged in", async () => {
    const { study, outsider } = await createStudyWithTeam(db());
    const { token } = await createInvitation(db(), { studyId: study.id, email: outsider.email, role: "membre" });
    const client = await clientFor(outsider.email);
    const page = await pageText(await client.get(`/invitation/${token}`));
    expect(page).toContain(`Vous êtes connecté·e en tant que ${outsider.name}`);
    expect(page).toContain("Rejoindre l'étude");
    const joined = await client.post(`/invitation/${token}`, {});
    expect(joined.status).toBe(302);
    expect(await roleOf(study.id, outsider.id)).toBe("membre");
  });

  it("refuses bad account details with French messages and creates nothing", async () => {
    const { study } = await createStudyWithTeam(db());
    const { token } = await createInvitation(db(), { studyId: study.id, email: "mauvais@example.org", role: "membre" });
    const client = new TestClient(server().url);
    const cases: [Record<string, string>, string][] = [
      [{ name: "", password: NEW_PASSWORD, confirmation: NEW_PASSWORD }, "Ce champ est obligatoire."],
      [{ name: "n".repeat(10_000), password: NEW_PASSWORD, confirmation: NEW_PASSWORD }, "120 caractères au maximum."],
      [{ name: "Court", password: "court", confirmation: "court" }, "au moins 10 caractères"],
      [{ name: "Différent", password: NEW_PASSWORD, confirmation: `${NEW_PASSWORD}-x` }, "La confirmation ne correspond pas"],
    ];
    for (const [form, message] of cases) {
      const response = await client.post(`/invitation/${token}`, form);
      expect(response.status).toBe(400);
      expect(await pageText(response)).toContain(message);
    }
    expect(await findUserByEmail(db(), "mauvais@example.org")).toBeUndefined();
    expect((await client.get(`/invitation/${token}`)).status).toBe(200);
  });
});

describe("team writes by role", () => {
  const writes = (ids: { memberId: string; invitationId: string }): Record<string, string>[] => [
    { intent: "role", userId: ids.memberId, role: "pilote" },
    { intent: "remove", userId: ids.memberId },
    { intent: "reset", userId: ids.memberId },
    { intent: "invite", email: "intrus@example.org", role: "pilote" },
    { intent: "revoke", invitationId: ids.invitationId },
  ];

  it("answers 403 to a membre and a lecteur, 404 to an outsider, and changes nothing", async () => {
    const { study, membre, lecteur, outsider } = await createStudyWithTeam(db());
    const { invitation } = await createInvitation(db(), { studyId: study.id, email: "garde@example.org", role: "lecteur" });
    for (const [user, status] of [
      [membre, 403],
      [lecteur, 403],
      [outsider, 404],
    ] as const) {
      const client = await clientFor(user.email);
      for (const form of writes({ memberId: lecteur.id, invitationId: invitation.id })) {
        const response = await client.post(teamPath(study.id), form);
        expect(response.status, `${user.name} ${form.intent}`).toBe(status);
      }
    }
    expect(await roleOf(study.id, lecteur.id)).toBe("lecteur");
    expect(await roleOf(study.id, membre.id)).toBe("membre");
    const invitations = await db().selectFrom("invitations").selectAll().where("study_id", "=", study.id).execute();
    expect(invitations).toHaveLength(1);
    expect(invitations[0]!.revoked_at).toBeNull();
    expect(await db().selectFrom("password_resets").select("id").where("user_id", "=", lecteur.id).execute()).toHaveLength(0);
  });

  it("lets the pilot change a role and remove a member", async () => {
    const { study, pilote, membre, lecteur } = await createStudyWithTeam(db());
    const pilot = await clientFor(pilote.email);
    const promoted = await pilot.post(teamPath(study.id), { intent: "role", userId: lecteur.id, role: "membre" });
    expect(promoted.status).toBe(200);
    expect(await pageText(promoted)).toContain(`Le rôle de ${lecteur.name} a été modifié.`);
    expect(await roleOf(study.id, lecteur.id)).toBe("membre");
    const removed = await pilot.post(teamPath(study.id), { intent: "remove", userId: membre.id });
    expect(removed.status).toBe(200);
    expect(await roleOf(study.id, membre.id)).toBeUndefined();
  });
});

describe("the last pilot", () => {
  it("can be neither demoted nor removed", async () => {
    const { study, pilote } = await createStudyWithTeam(db());
    const pilot = await clientFor(pilote.email);
    const forms: Record<string, string>[] = [
      { intent: "role", userId: pilote.id, role: "membre" },
      { intent: "remove", userId: pilote.id },
    ];
    for (const form of forms) {
      const response = await pilot.post(teamPath(study.id), form);
      expect(response.status).toBe(400);
      expect(await pageText(response)).toContain("L'étude doit garder au moins un pilote");
    }
    expect(await roleOf(study.id, pilote.id)).toBe("pilote");
  });

  it("can step down once another pilot is named", async () => {
    const { study, pilote, membre } = await createStudyWithTeam(db());
    const pilot = await clientFor(pilote.email);
    expect((await pilot.post(teamPath(study.id), { intent: "role", userId: membre.id, role: "pilote" })).status).toBe(200);
    expect((await pilot.post(teamPath(study.id), { intent: "role", userId: pilote.id, role: "membre" })).status).toBe(200);
    expect(await roleOf(study.id, pilote.id)).toBe("membre");
    // Now a membre: the same pilot's next write is refused.
    expect((await pilot.post(teamPath(study.id), { intent: "remove", userId: membre.id })).status).toBe(403);
  });
});

describe("forged and bad team forms", () => {
  it("changes nothing when the member id belongs to another study", async () => {
    const a = await createStudyWithTeam(db());
    const b = await createStudyWithTeam(db());
    const pilot = await clientFor(a.pilote.email);
    const forms: Record<string, string>[] = [
      { intent: "role", userId: b.lecteur.id, role: "pilote" },
      { intent: "remove", userId: b.lecteur.id },
      { intent: "reset", userId: b.lecteur.id },
    ];
    for (const form of forms) {
      const response = await pilot.post(teamPath(a.study.id), form);
      expect(response.status).toBe(400);
      expect(await pageText(response)).toContain("Cette personne n'est pas membre de l'étude.");
    }
    const { invitation } = await createInvitation(db(), { studyId: b.study.id, email: "autre@example.org", role: "membre" });
    const revoke = await pilot.post(teamPath(a.study.id), { intent: "revoke", invitationId: invitation.id });
    expect(revoke.status).toBe(400);
    expect(await roleOf(b.study.id, b.lecteur.id)).toBe("lecteur");
    expect(await roleOf(a.study.id, b.lecteur.id)).toBeUndefined();
    expect(await db().selectFrom("password_resets").select("id").where("user_id", "=", b.lecteur.id).execute()).toHaveLength(0);
    expect((await db().selectFrom("invitations").select("revoked_at").where("id", "=", invitation.id).executeTakeFirstOrThrow()).revoked_at).toBeNull();
  });

  it("answers bad input with a French message, status 400, and no change", async () => {
    const { study, pilote, lecteur } = await createStudyWithTeam(db());
    const pilot = await clientFor(pilote.email);
    const cases: [Record<string, string>, string][] = [
      [{ intent: "invite", email: "", role: "membre" }, "Ce champ est obligatoire."],
      [{ intent: "invite", email: "pas-une-adresse", role: "membre" }, "Adresse e-mail invalide."],
      [{ intent: "invite", email: `${"a".repeat(10_000)}@example.org`, role: "membre" }, "254 caractères au maximum."],
      [{ intent: "invite", email: "ok@example.org", role: "chef" }, "Choix invalide."],
      [{ intent: "role", userId: lecteur.id, role: "admin" }, "Choix invalide."],
      [{ intent: "role", userId: crypto.randomUUID(), role: "membre" }, "Cette personne n'est pas membre de l'étude."],
      [{ intent: "remove", userId: "pas-un-identifiant" }, "Élément inconnu dans cette étude."],
      [{ intent: "revoke", invitationId: crypto.randomUUID() }, "Cette invitation n'existe pas"],
      [{ intent: "supprimer-tout" }, "Action inconnue."],
    ];
    for (const [form, message] of cases) {
      const response = await pilot.post(teamPath(study.id), form);
      expect(response.status, JSON.stringify(form).slice(0, 80)).toBe(400);
      expect(await pageText(response)).toContain(message);
    }
    expect(await roleOf(study.id, lecteur.id)).toBe("lecteur");
    expect(await db().selectFrom("invitations").select("id").where("study_id", "=", study.id).execute()).toHaveLength(0);
  });
});

describe("password reset links", () => {
  it("sets a new password, logs the person in and ends their old sessions", async () => {
    const { study, pilote, membre } = await createStudyWithTeam(db());
    const oldSession = await clientFor(membre.email);
    const created = await (await clientFor(pilote.email)).post(teamPath(study.id), { intent: "reset", userId: membre.id });
    expect(created.status).toBe(200);
    const link = await shownLink(created.clone(), "reinitialisation");
    expect(await pageText(created)).toContain(`Lien de réinitialisation du mot de passe de ${membre.name}, valable 24 heures`);

    const browser = new TestClient(server().url);
    expect(await pageText(await browser.get(link))).toContain(membre.name);
    const mismatch = await browser.post(link, { password: NEW_PASSWORD, confirmation: "autre-chose-encore" });
    expect(mismatch.status).toBe(400);
    expect(await pageText(mismatch)).toContain("La confirmation ne correspond pas");

    const done = await browser.post(link, { password: NEW_PASSWORD, confirmation: NEW_PASSWORD });
    expect(done.status).toBe(302);
    expect((await browser.get(teamPath(study.id))).status).toBe(200);

    const old = await oldSession.get(teamPath(study.id));
    expect(old.status).toBe(302);
    expect(old.headers.get("location")).toMatch(/^\/connexion/);
    await expect(clientFor(membre.email)).rejects.toThrow();
    await clientFor(membre.email, NEW_PASSWORD);

    const reused = await new TestClient(server().url).get(link);
    expect(reused.status).toBe(410);
    expect(await pageText(reused)).toContain("déjà été utilisé");
  });

  it("refuses an expired reset link", async () => {
    const { study, pilote, lecteur } = await createStudyWithTeam(db());
    const link = await shownLink(await (await clientFor(pilote.email)).post(teamPath(study.id), { intent: "reset", userId: lecteur.id }), "reinitialisation");
    await db().updateTable("password_resets").set({ expires_at: new Date(Date.now() - 1000).toISOString() }).where("user_id", "=", lecteur.id).execute();
    const client = new TestClient(server().url);
    const page = await client.get(link);
    expect(page.status).toBe(410);
    expect(await pageText(page)).toContain("Ce lien de réinitialisation a expiré.");
    expect((await client.post(link, { password: NEW_PASSWORD, confirmation: NEW_PASSWORD })).status).toBe(410);
    await clientFor(lecteur.email);
  });
});

describe("the profile page", () => {
  it("changes the name and the presence color", async () => {
    const user = await createUser(db(), { name: "Avant Changement" });
    const client = await clientFor(user.email);
    expect(await pageText(await client.get("/profil"))).toContain("Avant Changement");
    const saved = await client.post("/profil", { intent: "profile", name: "Après Changement", color: "#AA3300" });
    expect(saved.status).toBe(200);
    expect(await pageText(saved)).toContain("Profil enregistré.");
    const row = await findUserById(db(), user.id);
    expect(row).toMatchObject({ name: "Après Changement", color: "#aa3300" });
    expect(await pageText(await client.get("/profil"))).toContain("Après Changement");
  });

  it("refuses a bad name or color with a French message", async () => {
    const user = await createUser(db(), { name: "Stable", color: "#123456" });
    const client = await clientFor(user.email);
    for (const [form, message] of [
      [{ intent: "profile", name: "", color: "#000000" }, "Ce champ est obligatoire."],
      [{ intent: "profile", name: "x".repeat(10_000), color: "#000000" }, "120 caractères au maximum."],
      [{ intent: "profile", name: "Nom", color: "rouge" }, "Couleur invalide"],
    ] as const) {
      const response = await client.post("/profil", form);
      expect(response.status).toBe(400);
      expect(await pageText(response)).toContain(message);
    }
    expect(await findUserById(db(), user.id)).toMatchObject({ name: "Stable", color: "#123456" });
  });

  it("changes the password and logs out the other sessions only", async () => {
    const user = await createUser(db());
    const here = await clientFor(user.email);
    const elsewhere = await clientFor(user.email);
    const wrong = await here.post("/profil", { intent: "password", current: "pas-le-bon", password: NEW_PASSWORD, confirmation: NEW_PASSWORD });
    expect(wrong.status).toBe(400);
    expect(await pageText(wrong)).toContain("Mot de passe actuel incorrect.");
    const short = await here.post("/profil", { intent: "password", current: TEST_PASSWORD, password: "court", confirmation: "court" });
    expect(short.status).toBe(400);
    expect(await pageText(short)).toContain("au moins 10 caractères");

    const changed = await here.post("/profil", { intent: "password", current: TEST_PASSWORD, password: NEW_PASSWORD, confirmation: NEW_PASSWORD });
    expect(changed.status).toBe(200);
    expect(await pageText(changed)).toContain("Mot de passe changé.");
    expect((await here.get("/profil")).status).toBe(200);
    expect((await elsewhere.get("/profil")).status).toBe(302);
    await clientFor(user.email, NEW_PASSWORD);
  });
});

describe("losing access", () => {
  it("gives a removed member 404 on the study", async () => {
    const { study, pilote, membre } = await createStudyWithTeam(db());
    const member = await clientFor(membre.email);
    expect((await member.get(`/etudes/${study.id}`)).status).toBe(200);
    await (await clientFor(pilote.email)).post(teamPath(study.id), { intent: "remove", userId: membre.id });
    expect((await member.get(`/etudes/${study.id}`)).status).toBe(404);
    expect((await member.get(teamPath(study.id))).status).toBe(404);
  });

  it("sends a deleted user's session to the login page", async () => {
    const { study, lecteur } = await createStudyWithTeam(db());
    const client = await clientFor(lecteur.email);
    expect((await client.get(teamPath(study.id))).status).toBe(200);
    await deleteUser(db(), lecteur.id);
    const response = await client.get(teamPath(study.id));
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toMatch(/^\/connexion/);
  });

  it("keeps an existing member's role when they accept a lower invitation", async () => {
    const { study, pilote } = await createStudyWithTeam(db());
    const other = await createUser(db());
    await addMember(db(), study.id, other.id, "pilote");
    const { token } = await createInvitation(db(), { studyId: study.id, email: other.email, role: "lecteur", createdBy: pilote.id });
    expect((await new TestClient(server().url).post(`/invitation/${token}`, { password: TEST_PASSWORD })).status).toBe(302);
    expect(await roleOf(study.id, other.id)).toBe("pilote");
  });
});

describe("live document connections", () => {
  it("closes a demoted member's connections with 4000, and refuses a removed member's reconnection", async () => {
    const { study, pilote, membre, lecteur } = await createStudyWithTeam(db());
    const { report } = await createMeeting(db(), study.id);
    const demoted = connectCollab(server().url, report.id, await sessionCookieHeader(db(), membre.id));
    const removed = connectCollab(server().url, report.id, await sessionCookieHeader(db(), lecteur.id));
    try {
      await Promise.all([waitForSync(demoted), waitForSync(removed)]);
      const pilot = await clientFor(pilote.email);
      expect((await pilot.post(teamPath(study.id), { intent: "role", userId: membre.id, role: "lecteur" })).status).toBe(200);
      await expect.poll(() => demoted.closeCodes[0]).toBe(CLOSE.roleChanged);
      expect((await pilot.post(teamPath(study.id), { intent: "remove", userId: lecteur.id })).status).toBe(200);
      await expect.poll(() => removed.closeCodes[0]).toBe(CLOSE.roleChanged);
      await expect.poll(() => removed.closeCodes).toContain(CLOSE.notFound);
    } finally {
      demoted.destroy();
      removed.destroy();
    }
  });
});
