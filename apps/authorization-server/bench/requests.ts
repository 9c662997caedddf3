/**
 * The benchmark's requests, the same for every contender (ours, the bare provider, the peers): a
 * refresh chain per worker, an introspection, a token request; each with a deadline.
 */

/** fetch with a deadline: a peer that stops answering fails the benchmark's request, it does not hang it. */
export const send = (url: string | URL, init: RequestInit = {}) =>
  fetch(url, { ...init, signal: AbortSignal.timeout(30_000) });

export const form = (body: Record<string, string>) => new URLSearchParams(body);
export const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

/** Each worker refreshes a chain of its own: every refresh hands back the next token. */
export function refreshChains(tokenUrl: string, authorization: string, chains: string[]): () => Promise<boolean> {
  return async () => {
    const chain = chains.pop()!;
    try {
      const res = await send(tokenUrl, {
        method: 'POST',
        headers: { authorization, 'content-type': 'application/x-www-form-urlencoded' },
        body: form({ grant_type: 'refresh_token', refresh_token: chain }),
      });
      const body = (await res.json()) as { refresh_token?: string };
      chains.push(body.refresh_token ?? chain);
      if (!body.refresh_token)
        process.stderr.write(`refresh at ${tokenUrl} answered ${res.status} ${JSON.stringify(body)}\n`);
      return res.status === 200 && !!body.refresh_token;
    } catch (error) {
      chains.push(chain);
      throw error;
    }
  };
}

export function introspector(url: string, headers: Record<string, string>, token: string) {
  let reported = false;
  return (hint?: string) => async () => {
    const res = await send(url, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
      body: form({ token, ...(hint ? { token_type_hint: hint } : {}) }),
    });
    const body = (await res.json()) as { active?: boolean };
    if (body.active !== true && !reported) {
      reported = true;
      process.stderr.write(`introspection at ${url} answered ${res.status} ${JSON.stringify(body)}\n`);
    }
    return body.active === true;
  };
}

/** The token endpoint's answer for a request, its body read; true on 200 with an access token. */
export async function tokenOk(url: string, authorization: string, body: Record<string, string>): Promise<boolean> {
  const res = await send(url, {
    method: 'POST',
    headers: { authorization, 'content-type': 'application/x-www-form-urlencoded' },
    body: form(body),
  });
  const answer = (await res.json()) as { access_token?: string };
  return res.status === 200 && !!answer.access_token;
}
