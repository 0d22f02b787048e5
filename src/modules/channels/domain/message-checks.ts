// What every adapter checks in a message before it goes out. Unlike assertChannelMessage's
// contract breaches, these come from data (a borrower's stored phone, a template without the
// provider's code) and end as a `rejected` result the dispatcher records, never a crash.
import { BODY_LENGTH_MAX, type ChannelMessage, rejected, type SendResult } from "./channel-message.js";
import { isEmailAddress, type Phone, parsePhone } from "./recipient.js";

export type Checked<T> = { ok: true; value: T } | { ok: false; result: SendResult };

function refuse<T>(code: string, message: string): Checked<T> {
  return { ok: false, result: rejected(code, message) };
}

function checkBody(message: ChannelMessage): Checked<null> {
  if (message.body.trim().length === 0) return refuse("empty_body", "the message has no text");
  if (message.body.length > BODY_LENGTH_MAX) return refuse("body_too_long", `the message is longer than ${BODY_LENGTH_MAX} characters`);
  return { ok: true, value: null };
}

export function checkPhoneMessage(message: ChannelMessage): Checked<Phone> {
  const body = checkBody(message);
  if (!body.ok) return body;
  const phone = parsePhone(message.to);
  return phone === null ? refuse("invalid_recipient", "the recipient is not a phone number") : { ok: true, value: phone };
}

export function checkEmailMessage(message: ChannelMessage): Checked<{ to: string; subject: string }> {
  const body = checkBody(message);
  if (!body.ok) return body;
  const to = message.to.trim();
  if (!isEmailAddress(to)) return refuse("invalid_recipient", "the recipient is not an e-mail address");
  const subject = message.subject?.trim() ?? "";
  if (subject.length === 0) return refuse("subject_missing", "an e-mail needs a subject");
  if (/[\r\n]/.test(subject) || subject.length > 998) return refuse("invalid_subject", "the subject must be one line of at most 998 characters");
  return { ok: true, value: { to, subject } };
}
