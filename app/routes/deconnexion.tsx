import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { destroyUserSession } from "~/models/session.server";

export const loader = () => redirect("/");

export async function action({ request, context }: ActionFunctionArgs) {
  return destroyUserSession(request, context);
}
