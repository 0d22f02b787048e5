// Turns a failed request into a sentence for the user: the app's own translation when it has
// one for the server's stable error code, otherwise the server's message.
import { ApiError } from "./api";

type Translate = (key: string, values?: Record<string, string | number>) => string;

export function describeError(t: Translate, caught: unknown): string {
  if (!(caught instanceof ApiError)) return t("error.generic", { message: caught instanceof Error ? caught.message : String(caught) });
  const key = `error.${caught.code}`;
  const text = t(key, { message: caught.message });
  return text === key ? t("error.generic", { message: caught.message }) : text;
}
