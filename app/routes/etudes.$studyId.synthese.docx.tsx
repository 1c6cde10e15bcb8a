import type { LoaderFunctionArgs } from "@remix-run/node";
import { exportSynthesis } from "~/exports/documents.server";

/** The study's synthesis as a Word document. */
export const loader = (args: LoaderFunctionArgs) => exportSynthesis(args, "docx");
