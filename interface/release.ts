// The seL4 releases whose user-visible numbering mica knows, and the one rule that turns the
// per-entry `since` marks into a release's view of the ABI.
//
// Source: the tags 13.0.0, 14.0.0, 15.0.0 and 16.0.0 of seL4/seL4, diffed file by file under
// libsel4/ (syscall.xml, object-api.xml, object-api-arch.xml, constants.h, macros.h). What moved
// is listed in interface/README.md ("Release deltas"). Everything else is identical in all four.

export const RELEASES = ["13.0", "14.0", "15.0", "16.0"] as const;
export type Release = (typeof RELEASES)[number];

/** The newest release: what the kernel and the SDK use unless told otherwise. */
export const DEFAULT_RELEASE: Release = "16.0";

/** An ABI entry that appeared in some release (no `since`: present in every release we know). */
export interface Versioned {
  readonly since?: Release;
}

/** Whether `entry` exists in `release`. */
export function inRelease(entry: Versioned, release: Release): boolean {
  return entry.since === undefined || RELEASES.indexOf(entry.since) <= RELEASES.indexOf(release);
}

/**
 * The value of the C macro MICA_SEL4_RELEASE for a release ("14.0" -> 1400). The SDK headers use
 * it in `#if` lines; a program built for a 14.0 kernel passes -DMICA_SEL4_RELEASE=1400.
 */
export function releaseNumber(release: Release): number {
  const [major, minor] = release.split(".").map(Number);
  return major! * 100 + minor!;
}
