// The one exception mica's CLI throws on purpose: bad input from the user.
// main.ts turns it into a one-line message and exit code 2.

export class UsageError extends Error {}

export const EXIT_USAGE = 2;
