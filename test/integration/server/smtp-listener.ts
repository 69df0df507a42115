// A tiny SMTP listener on 127.0.0.1 that accepts every message and keeps it in memory.
// No mail server exists in the test environment; this stands in for one so the mailed
// password-reset path is exercised end to end through nodemailer.
import net from 'node:net';
import type { AddressInfo } from 'node:net';

export interface CapturedMail {
  from: string;
  to: string[];
  data: string;
}

export interface SmtpListener {
  url: string;
  mails: CapturedMail[];
  /** Resolves with the next mail received (or one already waiting). */
  nextMail(): Promise<CapturedMail>;
  close(): Promise<void>;
}

export async function startSmtpListener(): Promise<SmtpListener> {
  const mails: CapturedMail[] = [];
  const waiters: Array<(mail: CapturedMail) => void> = [];
  let delivered = 0;
  const deliver = (mail: CapturedMail) => {
    mails.push(mail);
    const waiter = waiters.shift();
    if (waiter) {
      delivered += 1;
      waiter(mail);
    }
  };

  const server = net.createServer((socket) => {
    let buffer = '';
    let inData = false;
    let mail: CapturedMail = { from: '', to: [], data: '' };
    socket.write('220 localhost test SMTP\r\n');
    socket.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      for (;;) {
        if (inData) {
          const end = buffer.indexOf('\r\n.\r\n');
          if (end < 0) return;
          mail.data = buffer.slice(0, end);
          buffer = buffer.slice(end + 5);
          inData = false;
          deliver(mail);
          mail = { from: '', to: [], data: '' };
          socket.write('250 OK queued\r\n');
          continue;
        }
        const lineEnd = buffer.indexOf('\r\n');
        if (lineEnd < 0) return;
        const line = buffer.slice(0, lineEnd);
        buffer = buffer.slice(lineEnd + 2);
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO' || verb === 'HELO') socket.write('250 localhost\r\n');
        else if (verb === 'MAIL') {
          mail.from = line.slice(10);
          socket.write('250 OK\r\n');
        } else if (verb === 'RCPT') {
          mail.to.push(line.slice(8));
          socket.write('250 OK\r\n');
        } else if (verb === 'DATA') {
          inData = true;
          socket.write('354 go ahead\r\n');
        } else if (verb === 'QUIT') {
          socket.end('221 bye\r\n');
          return;
        } else socket.write('250 OK\r\n');
      }
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    nextMail() {
      if (mails.length > delivered) return Promise.resolve(mails[delivered++]!);
      return new Promise((resolve) => waiters.push(resolve));
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
