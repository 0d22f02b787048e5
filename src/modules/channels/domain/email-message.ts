// The pure parts of an e-mail reminder: the deterministic Message-ID, the HTML alternative of the
// plain text, and what an SMTP failure means. SMTP has no idempotency key: after a crash between
// the server's 250 and our record we cannot ask whether it took the message (RFC 1047 describes
// the same ambiguity for a lost reply to the final dot). A resend therefore carries the same
// Message-ID, which mailbox providers and our own sink collapse on.
import { rejected, retry, type SendResult } from "./channel-message.js";

export const IDEMPOTENCY_KEY_MAIL_HEADER = "X-Duecare-Idempotency-Key";

/** "<{idempotencyKey}@{domain}>": the key's characters are all legal in a Message-ID's left part. */
export function messageIdFor(idempotencyKey: string, domain: string): string {
  return `<${idempotencyKey}@${domain}>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

/** A minimal HTML part: the text escaped, blank lines as paragraphs, line breaks kept. */
export function htmlFromText(text: string, language: "zh-CN" | "en"): string {
  const paragraphs = text
    .replace(/\r\n?/g, "\n")
    .split(/\n{2,}/)
    .filter((paragraph) => paragraph.trim().length > 0)
    .map((paragraph) => `<p>${escapeHtml(paragraph).replaceAll("\n", "<br>")}</p>`);
  return `<!doctype html><html lang="${language}"><head><meta charset="utf-8"></head><body>${paragraphs.join("")}</body></html>`;
}

export interface SmtpFailure {
  code?: string;
  responseCode?: number;
  response?: string;
  message?: string;
}

// Nodemailer's own refusals before anything reached a server: no retry changes them.
const permanentClientCodes = new Set(["EENVELOPE", "EMESSAGE", "ECONFIG", "EFILEACCESS", "EURLACCESS", "EMAXRECIPIENTS"]);

/**
 * 4xx replies and connection failures retry; 5xx replies are permanent — except 503 (bad
 * sequence of commands), which says the session was in the wrong state rather than that the
 * message was refused, so a new connection can succeed.
 */
export function mapSmtpFailure(failure: SmtpFailure): SendResult {
  const responseCode = typeof failure.responseCode === "number" ? failure.responseCode : null;
  const message = (failure.response ?? failure.message ?? "SMTP failure").replace(/\s+/g, " ").trim().slice(0, 500);
  if (responseCode !== null && responseCode >= 400 && responseCode <= 499) return retry(`smtp_${responseCode}`, message);
  if (responseCode === 503) return retry("smtp_503", message);
  if (responseCode !== null && responseCode >= 500 && responseCode <= 599) return rejected(`smtp_${responseCode}`, message);
  const code = typeof failure.code === "string" && /^[A-Z0-9_]{1,40}$/.test(failure.code) ? failure.code : "smtp_error";
  if (permanentClientCodes.has(code)) return rejected(code, message);
  return retry(code, message);
}
