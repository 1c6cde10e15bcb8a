/**
 * A tiny browser stand-in for integration tests: keeps cookies, does not follow redirects,
 * posts forms the way a Remix <Form> does (urlencoded, with an Origin header).
 */
export class TestClient {
  private cookies = new Map<string, string>();

  constructor(readonly baseUrl: string) {}

  get cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  private remember(response: Response) {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const eq = pair!.indexOf("=");
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (value === "" || /max-age=0/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  async get(path: string): Promise<Response> {
    const response = await fetch(new URL(path, this.baseUrl), {
      redirect: "manual",
      headers: { Cookie: this.cookieHeader },
    });
    this.remember(response);
    return response;
  }

  /** Posts a form; arrays become repeated fields (checkbox groups). */
  async post(path: string, form: Record<string, string | readonly string[]>): Promise<Response> {
    const body = new URLSearchParams();
    for (const [key, value] of Object.entries(form)) {
      for (const v of typeof value === "string" ? [value] : value) body.append(key, v);
    }
    const response = await fetch(new URL(path, this.baseUrl), {
      method: "POST",
      redirect: "manual",
      headers: {
        Cookie: this.cookieHeader,
        "Content-Type": "application/x-www-form-urlencoded",
        Origin: new URL(this.baseUrl).origin,
      },
      body,
    });
    this.remember(response);
    return response;
  }

  async login(email: string, password: string): Promise<Response> {
    const response = await this.post("/connexion", { email, password });
    if (response.status !== 302 && response.status !== 204) {
      throw new Error(`La connexion de ${email} a échoué (HTTP ${response.status})`);
    }
    return response;
  }
}

/** The page text a user would read: tags stripped, entities decoded, spaces folded. */
export function visibleText(html: string): string {
  return html
    .replace(/<script[\s\S]*?<\/script>/g, " ")
    .replace(/<style[\s\S]*?<\/style>/g, " ")
    .replace(/<[^>]+>/g, " ")
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&nbsp;|&#160;/g, " ")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ")
    .trim();
}

/** The page text of a response, as `visibleText` reads it. */
export const pageText = async (response: Response): Promise<string> => visibleText(await response.text());

/** A new client, logged in as this account. */
export async function loginClient(baseUrl: string, email: string, password: string): Promise<TestClient> {
  const client = new TestClient(baseUrl);
  await client.login(email, password);
  return client;
}

/** One logged-in client per user, made on first use and reused across the file's tests. */
export function clientPerUser(baseUrl: () => string, password: string): (user: { id: string; email: string }) => Promise<TestClient> {
  const clients = new Map<string, Promise<TestClient>>();
  return (user) => {
    let client = clients.get(user.id);
    if (!client) {
      client = loginClient(baseUrl(), user.email, password);
      clients.set(user.id, client);
    }
    return client;
  };
}
