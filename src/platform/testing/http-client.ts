// A small cookie-keeping client over Fastify's inject, for route tests: it signs in, keeps
// the session cookies and sends the CSRF header the way the web apps do.
import type { App } from "../http/index.js";

export interface TestResponse {
  status: number;
  body: any;
  headers: Record<string, string | string[] | number | undefined>;
  cookies: { name: string; value: string; httpOnly?: boolean; sameSite?: string; path?: string }[];
}

export class TestClient {
  private readonly cookies = new Map<string, string>();
  csrfToken: string | null = null;

  constructor(private readonly app: App) {}

  async request(
    method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE",
    url: string,
    payload?: unknown,
    headers: Record<string, string> = {},
  ): Promise<TestResponse> {
    const response = await this.app.inject({
      method,
      url,
      ...(payload === undefined ? {} : { payload: payload as object }),
      headers: {
        ...(this.cookies.size > 0 ? { cookie: [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ") } : {}),
        ...(this.csrfToken && method !== "GET" ? { "x-csrf-token": this.csrfToken } : {}),
        ...headers,
      },
    });
    for (const cookie of response.cookies as TestResponse["cookies"]) {
      if (cookie.value === "") this.cookies.delete(cookie.name);
      else this.cookies.set(cookie.name, cookie.value);
    }
    const text = response.body;
    let body: unknown = text;
    if ((response.headers["content-type"] ?? "").toString().includes("application/json") && text) body = JSON.parse(text);
    if (body && typeof body === "object" && "csrfToken" in body) this.csrfToken = String((body as { csrfToken: string }).csrfToken);
    return { status: response.statusCode, body, headers: response.headers, cookies: response.cookies as TestResponse["cookies"] };
  }

  get(url: string) {
    return this.request("GET", url);
  }

  post(url: string, payload?: unknown, headers?: Record<string, string>) {
    return this.request("POST", url, payload ?? {}, headers);
  }

  put(url: string, payload?: unknown) {
    return this.request("PUT", url, payload ?? {});
  }

  patch(url: string, payload?: unknown) {
    return this.request("PATCH", url, payload ?? {});
  }

  async login(username: string, password: string): Promise<TestResponse> {
    return this.post("/api/auth/login", { username, password });
  }
}
