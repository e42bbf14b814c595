// Endpoint IPC end to end: tests/kernel/src/ipc.c run as a root task
// (Send/Recv, Call/ReplyRecv, NBSend, lengths, badges, cap transfer, rights).
import { describe, it } from "vitest";
import { expectAllPassed, runKtest } from "../support/ktest-run.js";

const IDS = [
  "IPC0001",
  "IPC0002",
  "IPC0003",
  "IPC0004",
  "IPC0005",
  "IPC0010",
  "IPCRIGHTS0001",
  "IPCRIGHTS0002",
  "IPCRIGHTS0003",
  "IPCRIGHTS0004",
  "NBWAIT0001",
];

describe("ipc root task", () => {
  it("passes every IPC test", () => expectAllPassed(runKtest("ipc"), IDS));
  it("keeps the kernel's invariants throughout", () =>
    expectAllPassed(runKtest("ipc", ["--check"]), IDS));
});
