import { Logger } from '@nestjs/common';
import { createTransport, type Transporter } from 'nodemailer';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
}

/** Sends transactional email; where it goes (SMTP relay or the log) is configuration. */
export abstract class Mailer {
  abstract send(mail: OutgoingMail): Promise<void>;
}

export class SmtpMailer extends Mailer {
  private readonly transport: Transporter;

  constructor(
    smtpUrl: string,
    private readonly from: string,
  ) {
    super();
    this.transport = createTransport(withTimeouts(smtpUrl));
  }

  async send(mail: OutgoingMail): Promise<void> {
    await this.transport.sendMail({ from: this.from, ...mail });
  }
}

/** The embedded default: no relay configured, so the message (and its link) goes to the log. */
export class LogMailer extends Mailer {
  private readonly logger = new Logger('Mail');

  async send(mail: OutgoingMail): Promise<void> {
    this.logger.log(`email to ${mail.to}: ${mail.subject}\n${mail.text}`);
  }
}

/**
 * Short SMTP timeouts unless the URL sets its own (nodemailer reads them from the query): a relay
 * that hangs would hold the mail outbox's rows; the outbox tries again later instead.
 */
function withTimeouts(smtpUrl: string): string {
  const url = new URL(smtpUrl);
  const defaults = { connectionTimeout: '10000', greetingTimeout: '10000', socketTimeout: '30000' };
  for (const [name, value] of Object.entries(defaults)) {
    if (!url.searchParams.has(name)) url.searchParams.set(name, value);
  }
  return url.toString();
}
