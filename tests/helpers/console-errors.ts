/** The console.error calls of the running test: tests/setup/fail-on-console-error.ts fails it if any is left. */
export const loggedErrors: unknown[][] = [];

export const describeLogged = (args: unknown[]) => args.map((a) => (a instanceof Error ? a.stack : String(a))).join(" ");

/**
 * Takes out of the log the errors a test provokes on purpose (those matching `expected`) and
 * returns how many there were; any other error still fails the test.
 */
export function takeExpectedErrors(expected: RegExp): number {
  const kept = loggedErrors.filter((args) => !expected.test(describeLogged(args)));
  const taken = loggedErrors.length - kept.length;
  loggedErrors.splice(0, loggedErrors.length, ...kept);
  return taken;
}
