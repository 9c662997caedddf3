export interface JsonResponse<T> {
  status: number;
  headers: Headers;
  body: T;
}

/** fetch() plus JSON decoding, for tests that assert on status, headers and body together. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests assert on arbitrary shapes
export async function fetchJson<T = any>(url: string, init?: RequestInit): Promise<JsonResponse<T>> {
  const res = await fetch(url, init);
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : undefined) as T };
}

export const jsonBody = (body: unknown): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: typeof body === 'string' ? body : JSON.stringify(body),
});

/** fetchJson with a bearer token, the way the management and self-service APIs are called: `body`, if any, as JSON. */
export const fetchJsonWithBearer = (url: string, token: string, method: string, body?: unknown) =>
  fetchJson(url, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
