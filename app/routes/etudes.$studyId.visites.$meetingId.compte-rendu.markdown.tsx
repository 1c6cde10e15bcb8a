import type { LoaderFunctionArgs } from "@remix-run/node";
import { exportReport } from "~/exports/documents.server";

/** A visit report as Markdown (GFM). */
export const loader = (args: LoaderFunctionArgs) => exportReport(args, "markdown");
