import type { LoaderFunctionArgs } from "@remix-run/node";
import { exportReport } from "~/exports/documents.server";

/** A visit report as a Word document. */
export const loader = (args: LoaderFunctionArgs) => exportReport(args, "docx");
