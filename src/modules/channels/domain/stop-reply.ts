// Is an inbound reply a request to stop messages (退订)? Only when the whole reply, once
// normalised, is one stop word: "STOP", "td。", "ＴＤ", "退订！". A longer text ("Stop calling me
// at work", "不要再打了，我下周还") is a reply for a person to read and act on — guessing there
// could silence a borrower who only asked for another time, or ignore one who asked for
// something else. Normalisation: Unicode NFKC (full-width letters and punctuation to ASCII),
// case-folded, whitespace and punctuation trimmed from both ends.

const stopWords = new Set(["stop", "unsubscribe", "退订", "td", "t", "取消", "停止"]);
/** A reply longer than this is never a bare stop word; refuse to normalise megabytes. */
const STOP_REPLY_LENGTH_MAX = 64;

export function normaliseReply(text: string): string {
  return text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/^[\s\p{P}\p{S}]+|[\s\p{P}\p{S}]+$/gu, "");
}

export function isStopReply(text: string): boolean {
  if (text.length > STOP_REPLY_LENGTH_MAX) return false;
  return stopWords.has(normaliseReply(text));
}
