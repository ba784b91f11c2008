/**
 * SMTP credentials never go out in cleartext unless the config says so: a
 * loopback smtp-server without STARTTLS, behind a tap that records every
 * byte the client sends.
 */
import net, { type AddressInfo } from "node:net";
import { UnrecoverableError } from "bullmq";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMailer, sendMail, smtpSettings } from "../../src/alerts/email.js";
import { EmailChannel } from "../../src/config/sections/alerts.js";

const content = { subject: "drill", text: "text", html: "<p>html</p>" };

describe("SMTP requireTLS", () => {
  let server: SMTPServer;
  let tap: net.Server;
  let port: number;
  /** What clients sent, all connections together. */
  let sent = "";
  const auths: string[] = [];
  const mails: string[] = [];

  beforeAll(async () => {
    server = new SMTPServer({
      disabledCommands: ["STARTTLS"],
      authOptional: true,
      allowInsecureAuth: true,
      logger: false,
      onAuth(auth, _session, callback) {
        auths.push(auth.username ?? "");
        callback(null, { user: auth.username });
      },
      onData(stream, session, callback) {
        stream.resume();
        stream.on("end", () => {
          mails.push(session.envelope.mailFrom ? session.envelope.mailFrom.address : "");
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const target = (server.server.address() as AddressInfo).port;
    tap = net.createServer((client) => {
      const upstream = net.connect(target, "127.0.0.1");
      client.on("data", (d: Buffer) => (sent += d.toString("latin1")));
      client.pipe(upstream).pipe(client);
      client.on("error", () => upstream.destroy());
      upstream.on("error", () => client.destroy());
    });
    await new Promise<void>((resolve) => tap.listen(0, "127.0.0.1", resolve));
    port = (tap.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => tap.close(() => resolve()));
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  function channel(fields: Record<string, unknown>) {
    return EmailChannel.parse({ from: "newswatch@example.test", to: ["desk@example.test"], timeout: 2_000, ...fields });
  }

  async function send(fields: Record<string, unknown>) {
    const c = channel(fields);
    const mailer = createMailer(c);
    sent = "";
    auths.length = 0;
    mails.length = 0;
    try {
      return await sendMail(mailer, c, "email", `<${Math.random()}@example.test>`, content).catch((e: unknown) => e as Error);
    } finally {
      mailer.close();
    }
  }

  it.each([
    ["in the config", { smtp: `smtp://127.0.0.1:PORT`, user: "desk", pass: "hunter2" }],
    ["in the URL", { smtp: `smtp://desk:hunter2@127.0.0.1:PORT` }],
    ["as a password alone", { smtp: `smtp://127.0.0.1:PORT`, pass: "hunter2" }],
  ])("with credentials %s, refuses a server without STARTTLS and never sends AUTH", async (_where, fields) => {
    const err = await send({ ...fields, smtp: fields.smtp.replace("PORT", String(port)) });
    expect(err).toBeInstanceOf(UnrecoverableError);
    expect((err as Error).message).toMatch(/STARTTLS.*requireTLS/);
    expect((err as Error).message).not.toContain("hunter2");
    expect(sent).toMatch(/^STARTTLS\r$/m);
    expect(sent).not.toMatch(/AUTH|hunter2|aHVudGVyMg|ZGVzaw|MAIL FROM/i);
    expect(auths).toEqual([]);
    expect(mails).toEqual([]);
  });

  it("sends with credentials in cleartext only when requireTLS: false says so", async () => {
    const result = await send({ smtp: `smtp://127.0.0.1:${port}`, user: "desk", pass: "hunter2", requireTLS: false });
    expect(result).toMatch(/^SMTP 250/);
    expect(sent).toMatch(/^AUTH /m);
    expect(auths).toEqual(["desk"]);
    expect(mails).toEqual(["newswatch@example.test"]);
  });

  it("sends without credentials over a plain connection, as before", async () => {
    const result = await send({ smtp: `smtp://127.0.0.1:${port}` });
    expect(result).toMatch(/^SMTP 250/);
    expect(sent).not.toMatch(/STARTTLS|AUTH/);
    expect(mails).toHaveLength(1);
  });

  it.each([
    ["smtp://h", {}, false],
    ["smtp://u:p@h", {}, true],
    ["smtp://h", { user: "u" }, true],
    ["smtp://u:p@h", { requireTLS: false }, false],
    ["smtp://h", { requireTLS: true }, true],
    // TLS from the start: nothing to upgrade.
    ["smtps://u:p@h", {}, false],
  ])("%s %j: requireTLS %s", (smtp, fields, requireTLS) => {
    expect(smtpSettings({ ...channel({ smtp, ...fields }) }).requireTLS).toBe(requireTLS);
  });
});
