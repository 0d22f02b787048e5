import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isRightPartyPossible, outcomeOfResult, resultCodes } from "./contact-record.js";

describe("contact records", () => {
  it("turns an agent's result code into the outcome the rules count", () => {
    const table = resultCodes.map((code) => [code, outcomeOfResult(code, isRightPartyPossible(code)).outcome, outcomeOfResult(code, false).outcome]);
    assert.deepEqual(table, [
      ["connected", "conversation", "connected"],
      ["no_answer", "no_answer", "no_answer"],
      ["busy", "not_connected", "not_connected"],
      ["switched_off", "not_connected", "not_connected"],
      ["not_in_service", "not_connected", "not_connected"],
      ["wrong_person", "connected", "connected"],
      ["refused", "conversation", "connected"],
      ["hung_up", "conversation", "connected"],
      ["voicemail", "voicemail", "voicemail"],
    ]);
    assert.equal(outcomeOfResult("hung_up", true).endedByConsumer, true, "the consumer ended the conversation");
    assert.equal(outcomeOfResult("refused", true).endedByConsumer, false);
  });
});
