import { afterEach, beforeEach, vi } from "vitest";

// An error logged during a test is a bug the assertions did not catch: it fails the test.
let logged: unknown[][] = [];

beforeEach(() => {
  logged = [];
  vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => {
    logged.push(args);
  });
});

afterEach(() => {
  vi.mocked(console.error).mockRestore();
  if (logged.length > 0) {
    const text = logged.map((args) => args.map((a) => (a instanceof Error ? a.stack : String(a))).join(" ")).join("\n");
    throw new Error(`console.error a été appelé pendant le test :\n${text}`);
  }
});
