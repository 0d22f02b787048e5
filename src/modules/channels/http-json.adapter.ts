// The generic signed-JSON HTTP SMS provider (docs/channels.md, "The HTTP contract"): the shape an
// SMS aggregator or a lender's in-house gateway implements. It MUST honour Idempotency-Key, which
// is what makes a retry after a timeout or a crash safe.
import { assertChannelMessage, type ChannelKind, type ChannelMessage, type SendResult } from "./domain/channel-message.js";
import { checkPhoneMessage } from "./domain/message-checks.js";
import { SignedJsonAdapter, type SignedJsonOptions } from "./signed-json.adapter.js";

export type HttpJsonSmsOptions = SignedJsonOptions;

export class HttpJsonSmsAdapter extends SignedJsonAdapter {
  readonly provider = "http-json";
  readonly channels: readonly ChannelKind[] = ["sms"];

  constructor(options: HttpJsonSmsOptions) {
    super(options, "/messages", "id");
  }

  async send(message: ChannelMessage): Promise<SendResult> {
    assertChannelMessage(message, this.channels);
    const checked = checkPhoneMessage(message);
    if (!checked.ok) return checked.result;
    const { idempotencyKey, channel, body, language } = message;
    return this.submit(JSON.stringify({ idempotencyKey, channel, to: checked.value.e164, body, language }), idempotencyKey);
  }
}
