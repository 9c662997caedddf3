// A real SMTP server for tests (nodemailer's smtp-server), in its own process, with a
// small HTTP API to read what it received:
//   GET /messages[?to=addr]  -> [{ to, from, subject, text, html, date }]
//   DELETE /messages         -> forget everything
// Prints {"smtpPort":N,"httpPort":M} on its first stdout line once both listen (127.0.0.1 only).
'use strict';
const http = require('node:http');
const { SMTPServer } = require('smtp-server');
const { simpleParser } = require('mailparser');

const messages = [];
const MAX_MESSAGE_BYTES = 1024 * 1024;

const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  size: MAX_MESSAGE_BYTES,
  logger: false,
  onData(stream, session, callback) {
    simpleParser(stream)
      .then((mail) => {
        messages.push({
          to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
          from: session.envelope.mailFrom && session.envelope.mailFrom.address,
          subject: mail.subject || '',
          text: mail.text || '',
          html: typeof mail.html === 'string' ? mail.html : '',
          date: new Date().toISOString(),
        });
        callback();
      })
      .catch(callback);
  },
});

const api = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://localhost');
  if (url.pathname !== '/messages') return res.writeHead(404).end();
  if (req.method === 'DELETE') {
    messages.length = 0;
    return res.writeHead(204).end();
  }
  const to = url.searchParams.get('to');
  const found = to ? messages.filter((m) => m.to.includes(to.toLowerCase())) : messages;
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(found));
});

smtp.listen(Number(process.env.SMTP_PORT || 0), '127.0.0.1', () => {
  api.listen(Number(process.env.HTTP_PORT || 0), '127.0.0.1', () => {
    process.stdout.write(JSON.stringify({ smtpPort: smtp.server.address().port, httpPort: api.address().port }) + '\n');
  });
});

const stop = () => smtp.close(() => api.close(() => process.exit(0)));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
