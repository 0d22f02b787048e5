// E-mail through an SMTP relay (the lender's mail server or a provider's) with a pooled nodemailer
// transport. Exactly-once rests on the deterministic Message-ID (domain/email-message.ts): SMTP
// cannot be asked after a crash whether the server took a message, so lookup says "unknown" and
// a resend carries the same Message-ID, which receiving systems collapse on.
import nodemailer from "nodemailer";
import { assert } from "../../platform/errors.js";
import {
  assertChannelMessage,
  type ChannelAdapter,
  type ChannelKind,
  type ChannelMessage,
  DEFAULT_CHANNEL_TIMEOUT_MS,
  type LookupResult,
  retry,
  type SendResult,
} from "./domain/channel-message.js";
import { htmlFromText, IDEMPOTENCY_KEY_MAIL_HEADER, mapSmtpFailure, messageIdFor, type SmtpFailure } from "./domain/email-message.js";
import { checkEmailMessage } from "./domain/message-checks.js";

export interface SmtpOptions {
  /** smtp://user:pass@host:port (smtps:// for implicit TLS). */
  url: string;
  /** The From header, e.g. "某某消费金融 <no-reply@mail.lender.example>". */
  from: string;
  /** The right-hand side of every Message-ID. */
  messageIdDomain: string;
  ratePerSecond: number;
  timeoutMs?: number;
  /** Pooled connections kept open to the relay. */
  maxConnections?: number;
}

type Transport = ReturnType<typeof nodemailer.createTransport>;

export class SmtpAdapter implements ChannelAdapter {
  readonly provider = "smtp";
  /** SMTP cannot be asked after a crash: the dispatcher claims, sends and records each e-mail on its own. */
  readonly isResendSafe = false;
  readonly channels: readonly ChannelKind[] = ["email"];
  readonly ratePerSecond: number;
  private readonly transport: Transport;
  private readonly from: string;
  private readonly messageIdDomain: string;
  private readonly timeoutMs: number;

  constructor(options: SmtpOptions) {
    assert(/^smtps?:\/\//.test(options.url), "url must be smtp:// or smtps://");
    assert(/^[A-Za-z0-9.-]+$/.test(options.messageIdDomain), "messageIdDomain must be a domain name");
    assert(options.ratePerSecond > 0, "ratePerSecond must be positive");
    this.ratePerSecond = options.ratePerSecond;
    this.from = options.from;
    this.messageIdDomain = options.messageIdDomain;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_CHANNEL_TIMEOUT_MS;
    this.transport = nodemailer.createTransport({
      pool: true,
      url: options.url,
      maxConnections: options.maxConnections ?? 5,
      // A message whose connection drops is reported to us (retry), not silently resent by the pool.
      maxRequeues: 0,
      connectionTimeout: this.timeoutMs,
      greetingTimeout: this.timeoutMs,
      socketTimeout: this.timeoutMs,
      disableFileAccess: true,
      disableUrlAccess: true,
    });
    // Failures reach the caller through send(); an idle pooled connection's error must not crash the process.
    this.transport.on("error", () => {});
  }

  async send(message: ChannelMessage): Promise<SendResult> {
    assertChannelMessage(message, this.channels);
    const checked = checkEmailMessage(message);
    if (!checked.ok) return checked.result;
    const messageId = messageIdFor(message.idempotencyKey, this.messageIdDomain);
    const sending = this.transport.sendMail({
      from: this.from,
      to: checked.value.to,
      subject: checked.value.subject,
      text: message.body,
      html: htmlFromText(message.body, message.language),
      messageId,
      headers: { [IDEMPOTENCY_KEY_MAIL_HEADER]: message.idempotencyKey, "Content-Language": message.language },
    });
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), this.timeoutMs);
    });
    try {
      const outcome = await Promise.race([sending, timedOut]);
      // The pool may still deliver it later; the resend then carries the same Message-ID.
      if (outcome === "timeout") return retry("timeout", `no answer within ${this.timeoutMs} ms`);
      return { outcome: "accepted", providerMessageId: messageId.slice(1, -1) };
    } catch (error) {
      return mapSmtpFailure(error as SmtpFailure);
    } finally {
      clearTimeout(timer);
      sending.catch(() => {});
    }
  }

  async lookup(_idempotencyKey: string, _message: ChannelMessage): Promise<LookupResult> {
    return { unknown: true };
  }

  async close(): Promise<void> {
    this.transport.close();
  }
}
