/**
 * Summarizes a V8 CPU profile written by `npm run bench:collab -- --profile`: where the
 * server's main thread spent its time, by function (self time), heaviest first.
 * With --project, each sample is charged to the nearest caller in the project's own code
 * (server/, db/, app/), which tells which of our functions a library or native call served.
 * Usage: node --import tsx tests/bench/collab/profile-summary.ts <file.cpuprofile> [top=25] [--project]
 */
import { readFileSync } from "node:fs";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

const project = process.argv.includes("--project");
const [file, topArg] = process.argv.slice(2).filter((a) => a !== "--project");
if (!file) {
  console.error("usage : profile-summary.ts <fichier.cpuprofile> [n]");
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, "utf8")) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parentOf = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
const ours = (url: string) => /\/work\/main\/(server|db|app)\//.test(url) && !url.includes("node_modules");
/** The sample's own frame, or with --project its nearest ancestor in our code (if any). */
function chargedFrame(id: number) {
  if (!project) return byId.get(id)!.callFrame;
  for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) {
    if (ours(byId.get(at)!.callFrame.url)) return byId.get(at)!.callFrame;
  }
  return byId.get(id)!.callFrame;
}
const selfUs = new Map<string, number>();
profile.samples.forEach((id, i) => {
  const frame = chargedFrame(id);
  const where = frame.url ? `${frame.url.replace(/^file:\/\/.*?node_modules\//, "").replace(/^file:\/\/\/work\/main\//, "")}:${frame.lineNumber + 1}` : "";
  const key = `${frame.functionName || "(anonymous)"} ${where}`.trim();
  selfUs.set(key, (selfUs.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0));
});
const totalUs = profile.endTime - profile.startTime;
console.log(`profil : ${(totalUs / 1e6).toFixed(1)} s`);
for (const [key, us] of [...selfUs].sort((a, b) => b[1] - a[1]).slice(0, Number(topArg ?? 25))) {
  console.log(`${((100 * us) / totalUs).toFixed(1).padStart(5)} %  ${(us / 1000).toFixed(0).padStart(7)} ms  ${key}`);
}
