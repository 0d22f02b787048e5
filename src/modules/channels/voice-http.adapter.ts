// The voice robot (语音机器人) over HTTP: duecare submits a call task under the same v1 signature
// and Idempotency-Key rules as the HTTP SMS contract; how the call went (connected, no answer,
// a promise to pay...) comes back later as a robot_outcome webhook (domain/webhooks.ts).
import { assertChannelMessage, type ChannelKind, type ChannelMessage, rejected, type SendResult } from "./domain/channel-message.js";
import { checkPhoneMessage } from "./domain/message-checks.js";
import { SignedJsonAdapter, type SignedJsonOptions } from "./signed-json.adapter.js";

export type VoiceHttpOptions = SignedJsonOptions;

export class VoiceHttpAdapter extends SignedJsonAdapter {
  readonly provider = "voice-http";
  readonly channels: readonly ChannelKind[] = ["voice_robot"];

  constructor(options: VoiceHttpOptions) {
    super(options, "/call-tasks", "taskId");
  }

  async send(message: ChannelMessage): Promise<SendResult> {
    assertChannelMessage(message, this.channels);
    const checked = checkPhoneMessage(message);
    if (!checked.ok) return checked.result;
    const scriptId = message.scriptId?.trim() ?? "";
    if (scriptId.length === 0) return rejected("script_missing", "a robot call needs the script the robot runs (scriptId)");
    const { idempotencyKey, language } = message;
    return this.submit(JSON.stringify({ idempotencyKey, to: checked.value.e164, scriptId, language, openingText: message.body }), idempotencyKey);
  }
}
