import type { LoaderFunctionArgs } from "@remix-run/node";
import { exportSynthesis } from "~/exports/documents.server";

/** The study's synthesis as Markdown (GFM). */
export const loader = (args: LoaderFunctionArgs) => exportSynthesis(args, "markdown");
