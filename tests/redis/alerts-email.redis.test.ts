import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readAttempts } from "../../src/queues/attempts.js";
import { alertJobId, enqueueAlerts } from "../../src/alerts/enqueue.js";
import type { Config } from "../../src/config/schema.js";
import { alertConfig, startAlertStage, testAlert, type RunningAlertStage } from "../helpers/alert-worker.js";
import { connect, dropPrefix, redisUrl, testPrefix } from "../helpers/redis.js";
import { startSmtpServer, type TestSmtpServer } from "../helpers/smtp.js";

const AUTH = { user: "alerts-user", pass: "alerts-pass" };

describe("email alerts through the alert queue", () => {
  let prefix: string;
  let smtp: TestSmtpServer;
  let running: RunningAlertStage | undefined;

  beforeEach(() => {
    prefix = testPrefix("alerts-mail");
  });
  afterEach(async () => {
    await running?.close();
    running = undefined;
    await smtp.close();
    const redis = connect();
    await dropPrefix(redis, prefix);
    redis.disconnect();
  });

  function config(email: Record<string, unknown> = {}): Config {
    return alertConfig(redisUrl(), prefix, {
      retryDelay: 50,
      retryMaxDelay: 200,
      retryHorizon: 2_000,
      email: {
        smtp: smtp.url,
        ...AUTH,
        // The loopback SMTP server offers no STARTTLS; a real one would.
        requireTLS: false,
        from: "Newswatch <alerts@newswatch.test>",
        to: ["desk@example.test", "editor@example.test"],
        subject: "[{source}] {title} ({score})",
        ...email,
      },
    });
  }

  async function jobsDone(r: RunningAlertStage, count: number): Promise<void> {
    const { alert } = r.ctx.queues;
    await expect.poll(async () => (await alert.getCompletedCount()) + (await alert.getFailedCount()), { timeout: 20_000, interval: 25 }).toBeGreaterThanOrEqual(count);
  }

  it("a 4xx is retried; each alert arrives once, escaped, with one stable Message-ID", async () => {
    smtp = await startSmtpServer({ auth: AUTH, reject: (call) => (call <= 2 ? { code: 451, message: "451 try again later" } : null) });
    running = await startAlertStage(config());
    const alerts = [testAlert(1, { title: "Drill <script>alert(1)</script> & more" }), testAlert(2), testAlert(3)];
    for (const a of alerts) await enqueueAlerts(running.ctx, a);
    await smtp.waitFor(() => smtp.accepted().length === 3);
    await jobsDone(running, 3);

    const mails = smtp.accepted();
    expect(mails).toHaveLength(3);
    expect(new Set(mails.map((m) => m.messageId)).size).toBe(3);
    // The rejected offers carried the same Message-ID their accepted retry did.
    for (const offer of smtp.offers.filter((o) => o.code !== 250)) {
      expect(mails.map((m) => m.messageId)).toContain(offer.mail.messageId);
    }
    const scripted = mails.find((m) => m.subject?.includes("Drill"))!;
    expect(scripted.subject).toBe(`[Example Wire] Drill <script>alert(1)</script> & more (${alerts[0]!.classification.score.toFixed(2)})`);
    expect(scripted.text).toContain("Drill <script>alert(1)</script> & more");
    expect(scripted.text).toContain("https://news.example/1");
    expect(scripted.html).toContain("Drill &lt;script&gt;alert(1)&lt;/script&gt; &amp; more");
    expect(scripted.html).not.toMatch(/<script/i);
    expect(scripted.html).toContain('href="https://news.example/1"');
    expect(scripted.from?.text).toContain("alerts@newswatch.test");
    const to = Array.isArray(scripted.to) ? scripted.to : [scripted.to!];
    expect(to.flatMap((t) => t.value.map((v) => v.address))).toEqual(["desk@example.test", "editor@example.test"]);

    const attempts = await Promise.all(alerts.map((a) => readAttempts(running!.ctx.queues.alert, alertJobId(a, "email"))));
    const failedTries = attempts.flat().filter((a) => !a.ok);
    expect(failedTries).toHaveLength(2);
    expect(failedTries.every((a) => /SMTP 451/.test(a.detail))).toBe(true);
  });

  it("a 5xx fails at once", async () => {
    smtp = await startSmtpServer({ auth: AUTH, reject: () => ({ code: 550, message: "550 no such mailbox" }) });
    running = await startAlertStage(config());
    await enqueueAlerts(running.ctx, testAlert(4));
    await jobsDone(running, 1);
    const [failed] = await running.ctx.queues.alert.getFailed();
    expect(failed?.attemptsMade).toBe(1);
    expect(failed?.failedReason).toMatch(/SMTP 550, not retried/);
    expect(smtp.offers).toHaveLength(1);
  });

  it("a digest window goes out as one email, by score and cluster, even across a worker restart", async () => {
    smtp = await startSmtpServer({ auth: AUTH });
    const WINDOW = 3_000;
    // The stage's clock stands at the start of a window, so every alert lands in that one whenever the test runs.
    const clock = { now: () => 1_000_000 * WINDOW };
    running = await startAlertStage(config({ digest: WINDOW }), { clock });
    const alerts = [
      testAlert(10, { cluster: "cluster-b", score: 0.7, title: "B low" }),
      testAlert(11, { cluster: "cluster-a", score: 0.6, title: "A low" }),
      testAlert(12, { cluster: "cluster-b", score: 0.8, title: "B high" }),
      testAlert(13, { cluster: "cluster-a", score: 0.9, title: "A high" }),
    ];
    for (const a of alerts) await enqueueAlerts(running.ctx, a);
    await jobsDone(running, 4);
    expect(smtp.offers).toHaveLength(0);
    // The collected alerts and the flush job live in Redis: a new worker sends the digest.
    await running.close();
    running = await startAlertStage(config({ digest: WINDOW }), { clock });
    await smtp.waitFor(() => smtp.accepted().length === 1, 10_000);
    // The flush job done and nothing left to run: no second digest can follow.
    await jobsDone(running, 5);
    expect(await running.ctx.queues.alert.getJobCountByTypes("waiting", "delayed", "active", "prioritized")).toBe(0);
    expect(smtp.offers).toHaveLength(1);

    const mail = smtp.accepted()[0]!;
    expect(mail.subject).toMatch(/digest: 4 alerts in 2 events/);
    const order = ["A high", "A low", "B high", "B low"].map((t) => mail.text!.indexOf(t));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect(order).toEqual([...order].sort((x, y) => x - y));
    expect(mail.html).toContain("Event 2");
  });
});
