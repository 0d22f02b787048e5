// The API client both apps use: JSON in and out, same-origin cookies, the CSRF header on every
// state-changing request, and errors as ApiError carrying the server's stable code.

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

let csrfToken: string | null = null;
let onUnauthenticated: (() => void) | null = null;

/** Keeps the CSRF token from a sign-in or "me" response in memory (null on sign-out). */
export function rememberCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when a signed-in request comes back 401 (the session expired or was revoked). */
export function setUnauthenticatedHandler(handler: (() => void) | null): void {
  onUnauthenticated = handler;
}

function csrfFromCookie(name: string): string | null {
  const match = document.cookie.split("; ").find((part) => part.startsWith(`${name}=`));
  return match ? decodeURIComponent(match.slice(name.length + 1)) : null;
}

export async function api<T>(method: Method, path: string, body?: unknown, csrfCookie = "duecare_staff_csrf"): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (body !== undefined || method !== "GET") headers["content-type"] = "application/json";
  if (method !== "GET") {
    const token = csrfToken ?? csrfFromCookie(csrfCookie);
    if (token) headers["x-csrf-token"] = token;
  }
  let response: Response;
  try {
    // A state-changing request without a body still sends "{}" so the JSON content type is honest.
    const payload = body === undefined ? (method === "GET" ? undefined : "{}") : JSON.stringify(body);
    response = await fetch(path, { method, headers, credentials: "same-origin", body: payload });
  } catch (caught) {
    throw new ApiError(0, "NETWORK_ERROR", caught instanceof Error ? caught.message : String(caught));
  }
  if (response.status === 204) return undefined as T;
  const payload = (await response.json().catch(() => null)) as { error?: { code: string; message: string; details?: unknown } } | null;
  if (!response.ok) {
    const error = payload?.error;
    const apiError = new ApiError(response.status, error?.code ?? "HTTP_ERROR", error?.message ?? `HTTP ${response.status}`, error?.details);
    const isSignIn = path.includes("/auth/login") || path.includes("/auth/verify") || path.endsWith("/me");
    if (response.status === 401 && !isSignIn) onUnauthenticated?.();
    throw apiError;
  }
  if (payload && typeof payload === "object" && "csrfToken" in payload) rememberCsrfToken(String((payload as { csrfToken: string }).csrfToken));
  return payload as T;
}
