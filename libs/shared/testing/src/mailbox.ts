export interface ReceivedMail {
  to: string[];
  from: string;
  subject: string;
  text: string;
  html: string;
}

export function testSmtpUrl(): string {
  const url = process.env.TEST_SMTP_URL;
  if (!url) throw new Error('TEST_SMTP_URL is not set: run integration tests through the Jest "integration" project');
  return url;
}

/** Waits until a mail to `to` (optionally matching the subject) reached the test SMTP server. */
export async function waitForMail(to: string, subject = /./, timeoutMs = 10_000): Promise<ReceivedMail> {
  const api = process.env.TEST_MAIL_API;
  if (!api) throw new Error('TEST_MAIL_API is not set: run integration tests through the Jest "integration" project');
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const mails = (await (await fetch(`${api}/messages?to=${encodeURIComponent(to)}`)).json()) as ReceivedMail[];
    const match = mails.reverse().find((m) => subject.test(m.subject));
    if (match) return match;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no mail to ${to} matching ${subject} within ${timeoutMs} ms`);
}

/** All mails received for an address so far. */
export async function mailsTo(to: string): Promise<ReceivedMail[]> {
  const api = process.env.TEST_MAIL_API!;
  return (await (await fetch(`${api}/messages?to=${encodeURIComponent(to)}`)).json()) as ReceivedMail[];
}
