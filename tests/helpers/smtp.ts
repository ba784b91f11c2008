/**
 * A loopback SMTP server (smtp-server) that parses every message it is
 * offered with mailparser, and rejects from a script (e.g. 451 first, then
 * accept), with optional AUTH. STARTTLS is off: the test has no certificate.
 */
import type { AddressInfo } from "node:net";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";
import { waitFor } from "./wait-for.js";

export interface SmtpOffer {
  call: number;
  mail: ParsedMail;
  /** The reply code given: 250 when accepted. */
  code: number;
}

export interface SmtpServerOptions {
  /** A rejection `{ code, message }` for the n-th DATA (1-based), or null to accept. */
  reject?: (call: number) => { code: number; message: string } | null;
  auth?: { user: string; pass: string };
}

export interface TestSmtpServer {
  url: string;
  offers: SmtpOffer[];
  accepted(): ParsedMail[];
  waitFor(predicate: () => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startSmtpServer(options: SmtpServerOptions = {}): Promise<TestSmtpServer> {
  const offers: SmtpOffer[] = [];
  const server = new SMTPServer({
    disabledCommands: options.auth ? ["STARTTLS"] : ["STARTTLS", "AUTH"],
    authOptional: !options.auth,
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      const ok = auth.username === options.auth?.user && auth.password === options.auth?.pass;
      if (ok) callback(null, { user: auth.username });
      else callback(new Error("535 authentication failed"));
    },
    onData(stream, _session, callback) {
      simpleParser(stream).then(
        (mail) => {
          const call = offers.length + 1;
          const rejection = options.reject?.(call) ?? null;
          offers.push({ call, mail, code: rejection?.code ?? 250 });
          if (!rejection) return callback();
          callback(Object.assign(new Error(rejection.message), { responseCode: rejection.code }));
        },
        (err: Error) => callback(err),
      );
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    offers,
    accepted: () => offers.filter((o) => o.code === 250).map((o) => o.mail),
    waitFor: (predicate, timeout) => waitFor(predicate, { timeout, what: () => `the predicate (smtp: ${offers.length} offers)` }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
