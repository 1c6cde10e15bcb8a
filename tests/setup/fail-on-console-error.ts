import { afterEach, beforeEach, vi } from "vitest";
import { describeLogged, loggedErrors } from "../helpers/console-errors";

// An error logged during a test is a bug the assertions did not catch: it fails the test.
beforeEach(() => {
  loggedErrors.length = 0;
  vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => {
    loggedErrors.push(args);
  });
});

afterEach(() => {
  vi.mocked(console.error).mockRestore();
  if (loggedErrors.length > 0) {
    throw new Error(`console.error a été appelé pendant le test :\n${loggedErrors.map(describeLogged).join("\n")}`);
  }
});
