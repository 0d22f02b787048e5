// A mailbox for tests, the crash test and benchmarks — never for production: an smtp-server
// that parses every message with mailparser and stores it by Message-ID, so a resend of the same
// reminder shows as one more `received` but no more `distinctMessageIds`.
import type { AddressInfo } from "node:net";
import { type ParsedMail, simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

export interface SmtpSinkOptions {
  /** Delay before answering each message's DATA, in ms (default 0). */
  latencyMs?: number;
  /** Every Nth message is refused after its DATA (0, the default: never). */
  failEveryNth?: number;
  /** The reply code of a refused message (default 451, a transient failure). */
  failCode?: number;
}

export interface SinkMail {
  messageId: string;
  envelopeFrom: string | null;
  envelopeTo: string[];
  /** The AUTH user of the session, if the client logged in. */
  user: string | null;
  parsed: ParsedMail;
}

type SmtpReplyError = Error & { responseCode?: number };

export class SmtpSink {
  private readonly options: Required<SmtpSinkOptions>;
  private server: SMTPServer | null = null;
  private portNumber = 0;
  private readonly byMessageId = new Map<string, SinkMail>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private dataCount = 0;
  private receivedCount = 0;
  private failedCount = 0;

  constructor(options: SmtpSinkOptions = {}) {
    this.options = { latencyMs: options.latencyMs ?? 0, failEveryNth: options.failEveryNth ?? 0, failCode: options.failCode ?? 451 };
  }

  /** Starts listening on 127.0.0.1 and answers the port. */
  async start(port = 0): Promise<number> {
    const server = new SMTPServer({
      authOptional: true,
      allowInsecureAuth: true,
      disabledCommands: ["STARTTLS"],
      // stop() closes lingering client connections after this long instead of the default 30 s.
      closeTimeout: 500,
      logger: false,
      onAuth: (auth, _session, callback) => callback(null, { user: auth.username ?? "anonymous" }),
      onData: (stream, session, callback) => {
        simpleParser(stream)
          .then(async (parsed) => {
            await this.delay();
            this.dataCount += 1;
            if (this.options.failEveryNth > 0 && this.dataCount % this.options.failEveryNth === 0) {
              this.failedCount += 1;
              const error: SmtpReplyError = new Error("the sink refuses this message on purpose");
              error.responseCode = this.options.failCode;
              return callback(error);
            }
            this.receivedCount += 1;
            const messageId = parsed.messageId ?? `<no-message-id-${this.receivedCount}>`;
            if (!this.byMessageId.has(messageId)) {
              const mailFrom = session.envelope.mailFrom;
              this.byMessageId.set(messageId, {
                messageId,
                envelopeFrom: mailFrom ? mailFrom.address : null,
                envelopeTo: session.envelope.rcptTo.map((recipient) => recipient.address),
                user: typeof session.user === "string" ? session.user : null,
                parsed,
              });
            }
            callback(null, `queued as ${messageId}`);
          })
          .catch((error: Error) => callback(error));
      },
    });
    server.on("error", () => {});
    await new Promise<void>((resolve) => {
      const listener = server.listen(port, "127.0.0.1", () => {
        this.portNumber = (listener.address() as AddressInfo).port;
        resolve();
      });
    });
    this.server = server;
    return this.portNumber;
  }

  get port(): number {
    return this.portNumber;
  }

  /** smtp://127.0.0.1:{port}, with user:pass when given. */
  url(user?: string, password?: string): string {
    const credentials = user ? `${encodeURIComponent(user)}:${encodeURIComponent(password ?? "")}@` : "";
    return `smtp://${credentials}127.0.0.1:${this.portNumber}`;
  }

  async stop(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Messages taken (DATA answered 250), resends included. */
  get received(): number {
    return this.receivedCount;
  }

  get distinctMessageIds(): number {
    return this.byMessageId.size;
  }

  get failuresInjected(): number {
    return this.failedCount;
  }

  /** The first copy of each Message-ID, in arrival order. */
  get messages(): SinkMail[] {
    return [...this.byMessageId.values()];
  }

  find(messageId: string): SinkMail | undefined {
    return this.byMessageId.get(messageId);
  }

  private delay(): Promise<void> {
    if (this.options.latencyMs <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, this.options.latencyMs);
      this.timers.add(timer);
    });
  }
}
