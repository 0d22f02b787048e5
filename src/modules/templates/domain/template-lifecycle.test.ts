import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { channelProblem, decideApprover, decideReject, decideSubmit, SMS_LENGTH_MAX, type VersionFacts, versionStatuses } from "./template-lifecycle.js";

const version = (status: VersionFacts["status"], createdBy = "author", submittedBy: string | null = null): VersionFacts => ({ status, createdBy, submittedBy });

describe("template version lifecycle", () => {
  it("submits only a draft", () => {
    for (const status of versionStatuses) assert.equal(decideSubmit(version(status)).ok, status === "draft", status);
  });

  it("approves only a pending version, and never by its author or submitter", () => {
    assert.deepEqual(decideApprover(version("pending_approval", "author", "author"), "reviewer"), { ok: true });
    const own = decideApprover(version("pending_approval", "author", "author"), "author");
    assert.equal(own.ok === false && own.code, "FORBIDDEN");
    const submitted = decideApprover(version("pending_approval", "author", "submitter"), "submitter");
    assert.equal(submitted.ok === false && submitted.code, "FORBIDDEN");
    for (const status of versionStatuses.filter((item) => item !== "pending_approval")) {
      const verdict = decideApprover(version(status), "reviewer");
      assert.equal(verdict.ok === false && verdict.code, "CONFLICT", status);
    }
  });

  it("rejects only a pending version", () => {
    for (const status of versionStatuses) assert.equal(decideReject(version(status)).ok, status === "pending_approval", status);
  });

  it("checks a version's text against its channel", () => {
    assert.equal(channelProblem("sms", "请还款", null), null);
    assert.deepEqual(channelProblem("sms", "  ", null)?.field, "body");
    assert.deepEqual(channelProblem("sms", "x".repeat(SMS_LENGTH_MAX + 1), null)?.field, "body");
    assert.deepEqual(channelProblem("sms", "请还款", "主题")?.field, "subject");
    assert.deepEqual(channelProblem("email", "Body", null)?.field, "subject");
    assert.equal(channelProblem("email", "Body", "Your account"), null);
    assert.equal(channelProblem("letter", "x".repeat(SMS_LENGTH_MAX + 1), null), null);
  });
});
