import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireStudyRole } from "~/models/access.server";
import { requireUser } from "~/models/session.server";
import { buildSynthesisPlan, planHeading } from "~/models/synthesis-plan.server";

/** The draft plan « Générer un plan » appends to the synthesis, as Tiptap JSON blocks (writers only). */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const { study } = await requireStudyRole(context, user, params.studyId, "membre");
  const blocks = await buildSynthesisPlan(context, study.id);
  return Response.json({ content: [planHeading(new Date()), ...blocks] }, { headers: { "Cache-Control": "private, no-store" } });
}
