import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isStopReply } from "./stop-reply.js";

describe("isStopReply", () => {
  it("recognises every stop word, trimmed, in any case, full-width or not, with or without punctuation", () => {
    const stops = [
      "STOP",
      "stop",
      " Stop ",
      "STOP.",
      "stop!",
      "Stop!!!",
      "ＳＴＯＰ",
      "ｓｔｏｐ！",
      "UNSUBSCRIBE",
      "Unsubscribe.",
      "退订",
      "退订。",
      "退订！",
      "【退订】",
      "TD",
      "td",
      "Td。",
      "ＴＤ",
      "T",
      "t",
      "Ｔ",
      "T.",
      "取消",
      "取消！",
      "停止",
      "停止。。。",
      "\n停止\n",
      '"STOP"',
    ];
    for (const text of stops) assert.equal(isStopReply(text), true, JSON.stringify(text));
  });

  it("leaves longer replies for a person to read, even when they contain a stop word", () => {
    const replies = [
      "Stop calling me at work",
      "please stop",
      "stop stop",
      "STOP ME",
      "不要退订",
      "请退订",
      "退订吧谢谢",
      "取消分期",
      "我下周还款",
      "好的",
      "tt",
      "tdd",
      "ok",
      "",
      "   ",
      "。",
      `${"stop ".repeat(100)}`,
    ];
    for (const text of replies) assert.equal(isStopReply(text), false, JSON.stringify(text));
  });
});
