import { describe, expect, it } from "vitest";
import { downloadResponse } from "../../app/exports/download.server";

describe("a download produced piece by piece", () => {
  it("produces each piece in its own turn of the event loop, so the collaboration is served in between", async () => {
    // SQLite answers synchronously: an export whose pieces only await queries would otherwise run
    // as one chain of promises, and nothing queued behind it (a keystroke to relay) would run.
    const servedBefore: boolean[] = [];
    async function* pieces() {
      let served = true;
      for (const piece of ["Identifiant;Citation\r\n", "a;b\r\n", "c;d\r\n"]) {
        servedBefore.push(served);
        served = false;
        setImmediate(() => (served = true));
        yield await Promise.resolve(piece);
      }
    }
    const response = downloadResponse(pieces(), { fileName: "enseignements.csv", contentType: "text/csv; charset=utf-8" });
    expect(await response.text()).toBe("Identifiant;Citation\r\na;b\r\nc;d\r\n");
    expect(servedBefore).toEqual([true, true, true]);
  });

  it("stops producing when the client goes away", async () => {
    let finished = false;
    async function* pieces() {
      try {
        for (let i = 0; ; i++) yield `ligne ${i}\r\n`;
      } finally {
        finished = true;
      }
    }
    const reader = downloadResponse(pieces(), { fileName: "x.csv", contentType: "text/csv" }).body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe("ligne 0\r\n");
    await reader.cancel();
    expect(finished).toBe(true);
  });
});
