import { describe, expect, it } from "vitest";
import { findMembership } from "../../db/queries/memberships";
import { findUserByEmail } from "../../db/queries/users";
import { browserForFile, loginAs, newContext } from "../helpers/browser";
import { createStudyWithTeam, TEST_PASSWORD } from "../helpers/factories";
import { testServerForFile } from "../helpers/server";

const server = testServerForFile();
const browser = browserForFile();

describe("inviting someone from the team page", () => {
  it("hands the pilot a link that brings the invitee into the study", async () => {
    const { study, pilote } = await createStudyWithTeam(server().database.db);
    const pilotContext = await newContext(browser(), server().url);
    const pilotPage = await pilotContext.newPage();
    await loginAs(pilotPage, pilote.email, TEST_PASSWORD);
    await pilotPage.goto(`/etudes/${study.id}/equipe`);
    const invite = pilotPage.locator("form", { has: pilotPage.getByRole("button", { name: "Créer l'invitation" }) });
    await invite.getByLabel("Adresse e-mail").fill("navigatrice@example.org");
    await invite.getByLabel("Rôle").selectOption("lecteur");
    await invite.getByRole("button", { name: "Créer l'invitation" }).click();
    const linkField = pilotPage.getByLabel("Lien à copier");
    await linkField.waitFor();
    const link = await linkField.inputValue();
    expect(link).toMatch(/\/invitation\/[A-Za-z0-9_-]{43}$/);
    // Remix shows the action's reply (the link) before the loaders it reruns have answered: wait for the list.
    const pending = pilotPage.getByRole("row", { name: /navigatrice@example\.org/ });
    await expect.poll(() => pending.isVisible()).toBe(true);
    expect(await pending.innerText()).toContain("Lecteur");

    const inviteeContext = await newContext(browser(), server().url);
    const page = await inviteeContext.newPage();
    await page.goto(link);
    await page.getByLabel("Votre nom").fill("Nora Navigatrice");
    await page.getByLabel("Mot de passe", { exact: true }).fill("mot-de-passe-de-nora");
    await page.getByLabel("Confirmation du mot de passe").fill("mot-de-passe-de-nora");
    await page.getByRole("button", { name: "Créer mon compte et rejoindre l'étude" }).click();
    await page.waitForURL((url) => url.pathname === `/etudes/${study.id}`);
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe(study.title);

    const nora = await findUserByEmail(server().database.db, "navigatrice@example.org");
    expect((await findMembership(server().database.db, study.id, nora!.id))?.role).toBe("lecteur");
    expect(pilotContext.pageErrors).toEqual([]);
    expect(inviteeContext.pageErrors).toEqual([]);
    await pilotContext.close();
    await inviteeContext.close();
  });
});
