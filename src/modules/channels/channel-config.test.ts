import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ConfigError } from "../../platform/config.js";
import { AliyunSmsAdapter } from "./aliyun-sms.adapter.js";
import { type ChannelAdapters, channelConfigSchema, closeAdapters, createAdapters } from "./channel-config.js";
import { HttpJsonSmsAdapter } from "./http-json.adapter.js";
import { OutboxAdapter } from "./outbox.adapter.js";
import { SmtpAdapter } from "./smtp.adapter.js";
import { SmtpSink } from "./testing/smtp-sink.js";
import { VoiceHttpAdapter } from "./voice-http.adapter.js";

const outbox = async () => "outbox-1";
const parse = (values: Record<string, string>) => channelConfigSchema.parse(values);

describe("channel configuration", () => {
  it("sends everything to the development outbox by default, with sensible rates and timeout", async () => {
    const config = parse({});
    assert.equal(config.DUECARE_SMS_PROVIDER, "outbox");
    assert.equal(config.DUECARE_CHANNEL_TIMEOUT_MS, 10_000);
    assert.equal(config.DUECARE_ALIYUN_ENDPOINT, "https://dysmsapi.aliyuncs.com");
    const adapters = createAdapters(config, { outbox });
    assert.ok(adapters.sms instanceof OutboxAdapter);
    assert.equal(adapters.sms, adapters.email);
    assert.equal(adapters.sms, adapters.voice_robot);
    assert.equal(adapters.sms.ratePerSecond, 1000);
    assert.deepEqual(await adapters.email.send({ idempotencyKey: "k", channel: "email", to: "a@example.com", body: "b", language: "en" }), {
      outcome: "accepted",
      providerMessageId: "outbox-1",
    });
    await closeAdapters(adapters);
  });

  it("builds each configured provider, with its rate and the shared timeout", async () => {
    const config = parse({
      DUECARE_SMTP_URL: "smtp://user:pass@127.0.0.1:2525",
      DUECARE_MAIL_FROM: "某某消费金融 <no-reply@mail.lender.example>",
      DUECARE_SMS_PROVIDER: "http-json",
      DUECARE_SMS_HTTP_URL: "https://sms.gateway.example/v1",
      DUECARE_SMS_HTTP_SECRET: "0123456789abcdef0123",
      DUECARE_VOICE_HTTP_URL: "https://robot.example",
      DUECARE_VOICE_HTTP_SECRET: "fedcba9876543210fedc",
      DUECARE_SMS_RATE_PER_SECOND: "120",
      DUECARE_EMAIL_RATE_PER_SECOND: "15",
      DUECARE_VOICE_RATE_PER_SECOND: "2.5",
      DUECARE_CHANNEL_TIMEOUT_MS: "3000",
    });
    const adapters: ChannelAdapters = createAdapters(config, { outbox });
    try {
      assert.ok(adapters.sms instanceof HttpJsonSmsAdapter);
      assert.ok(adapters.email instanceof SmtpAdapter);
      assert.ok(adapters.voice_robot instanceof VoiceHttpAdapter);
      assert.deepEqual([adapters.sms.ratePerSecond, adapters.email.ratePerSecond, adapters.voice_robot.ratePerSecond], [120, 15, 2.5]);
    } finally {
      await closeAdapters(adapters);
    }
  });

  it("builds the Aliyun adapter", async () => {
    const config = parse({
      DUECARE_SMS_PROVIDER: "aliyun",
      DUECARE_ALIYUN_ACCESS_KEY_ID: "LTAI5tExample",
      DUECARE_ALIYUN_ACCESS_KEY_SECRET: "secret",
      DUECARE_ALIYUN_SIGN_NAME: "还款提醒",
    });
    const adapters = createAdapters(config, { outbox });
    assert.ok(adapters.sms instanceof AliyunSmsAdapter);
    assert.equal(adapters.sms.provider, "aliyun-sms");
    await closeAdapters(adapters);
  });

  it("names the missing variable for a chosen provider", () => {
    const table: [Record<string, string>, RegExp][] = [
      [
        { DUECARE_SMS_PROVIDER: "http-json", DUECARE_SMS_HTTP_SECRET: "0123456789abcdef0123" },
        /^DUECARE_SMS_HTTP_URL: required when DUECARE_SMS_PROVIDER is http-json$/,
      ],
      [
        { DUECARE_SMS_PROVIDER: "http-json", DUECARE_SMS_HTTP_URL: "https://sms.example" },
        /^DUECARE_SMS_HTTP_SECRET: required when DUECARE_SMS_PROVIDER is http-json$/,
      ],
      [
        { DUECARE_SMS_PROVIDER: "aliyun", DUECARE_ALIYUN_ACCESS_KEY_ID: "id", DUECARE_ALIYUN_SIGN_NAME: "签名" },
        /^DUECARE_ALIYUN_ACCESS_KEY_SECRET: required when/,
      ],
      [
        { DUECARE_SMS_PROVIDER: "aliyun", DUECARE_ALIYUN_ACCESS_KEY_ID: "id", DUECARE_ALIYUN_ACCESS_KEY_SECRET: "s" },
        /^DUECARE_ALIYUN_SIGN_NAME: required when/,
      ],
      [{ DUECARE_VOICE_HTTP_URL: "https://robot.example" }, /^DUECARE_VOICE_HTTP_SECRET: required with DUECARE_VOICE_HTTP_URL$/],
      [{ DUECARE_SMTP_URL: "smtp://127.0.0.1:25" }, /^DUECARE_MAIL_FROM: required with DUECARE_SMTP_URL/],
      [
        { DUECARE_SMTP_URL: "smtp://127.0.0.1:25", DUECARE_MAIL_FROM: "reminders" },
        /^DUECARE_MAIL_DOMAIN: required when DUECARE_MAIL_FROM has no address domain$/,
      ],
    ];
    for (const [values, message] of table) {
      assert.throws(
        () => createAdapters(parse(values), { outbox }),
        (error: Error) => error instanceof ConfigError && message.test(error.message),
        JSON.stringify(values),
      );
    }
  });

  it("refuses bad values with the variable's name in the issue path", () => {
    const table: [Record<string, string>, string][] = [
      [{ DUECARE_SMS_PROVIDER: "twilio" }, "DUECARE_SMS_PROVIDER"],
      [{ DUECARE_SMTP_URL: "mail.example:25" }, "DUECARE_SMTP_URL"],
      [{ DUECARE_SMS_HTTP_URL: "ftp://x" }, "DUECARE_SMS_HTTP_URL"],
      [{ DUECARE_SMS_HTTP_SECRET: "short" }, "DUECARE_SMS_HTTP_SECRET"],
      [{ DUECARE_WEBHOOK_SECRET: "short" }, "DUECARE_WEBHOOK_SECRET"],
      [{ DUECARE_SMS_RATE_PER_SECOND: "0" }, "DUECARE_SMS_RATE_PER_SECOND"],
      [{ DUECARE_CHANNEL_TIMEOUT_MS: "10" }, "DUECARE_CHANNEL_TIMEOUT_MS"],
      [{ DUECARE_MAIL_DOMAIN: "not a domain" }, "DUECARE_MAIL_DOMAIN"],
    ];
    for (const [values, name] of table) {
      const parsed = channelConfigSchema.safeParse(values);
      assert.equal(parsed.success, false, name);
      assert.equal(parsed.error?.issues[0]?.path.join("."), name);
    }
  });

  it("takes the Message-ID domain from the From address unless DUECARE_MAIL_DOMAIN says otherwise", async () => {
    const sink = new SmtpSink();
    await sink.start();
    const email = { channel: "email", to: "wang@example.com", subject: "提醒", body: "您好", language: "zh-CN" } as const;
    try {
      for (const [values, key, messageId] of [
        [{ DUECARE_MAIL_FROM: "no-reply@lender.example" }, "k-from", "<k-from@lender.example>"],
        [{ DUECARE_MAIL_FROM: "Lender <no-reply@lender.example>", DUECARE_MAIL_DOMAIN: "ids.lender.example" }, "k-domain", "<k-domain@ids.lender.example>"],
      ] as const) {
        const adapters = createAdapters(parse({ DUECARE_SMTP_URL: sink.url(), ...values }), { outbox });
        assert.equal((await adapters.email.send({ ...email, idempotencyKey: key })).outcome, "accepted");
        await closeAdapters(adapters);
        assert.ok(sink.find(messageId), `expected ${messageId}`);
      }
    } finally {
      await sink.stop();
    }
  });
});
