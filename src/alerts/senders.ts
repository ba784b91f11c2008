/**
 * One door for every channel's side effect: the HTTP agent and SMTP pools
 * live here, shared by all jobs of a worker process and closed with it.
 */
import { Agent } from "undici";
import type { Clock } from "../clock.js";
import type { EmailChannel } from "../config/sections/alerts.js";
import type { Alert } from "../model/index.js";
import type { ChannelRef } from "./channels.js";
import { groupDigest, renderDigest } from "./digest-render.js";
import { createMailer, messageId, sendMail, type Mailer } from "./email.js";
import { appendAlertLine } from "./file.js";
import { renderHtml, renderSubject, renderText } from "./render.js";
import { postWebhook } from "./webhook.js";

export interface Senders {
  /** Delivers one alert; `deliveryId` is the idempotency key's source. Resolves with a short detail for the attempt log. */
  send(channel: ChannelRef, deliveryId: string, alert: Alert, signal?: AbortSignal): Promise<string>;
  /** Sends a digest window's alerts as one email. */
  sendDigest(name: string, channel: EmailChannel, deliveryId: string, alerts: Alert[], windowLabel: string, signal?: AbortSignal): Promise<string>;
  close(): Promise<void>;
}

export interface HttpPoolOptions {
  /** Connections per receiver origin (config `stages.alert.connections`). */
  connections: number;
  /** Idle time before a keep-alive connection closes (`stages.alert.keepAlive`). */
  keepAlive: number;
}

export function createSenders(clock: Clock, http: HttpPoolOptions): Senders {
  // Keep-alive connections to receivers are reused across deliveries.
  const dispatcher = new Agent({ keepAliveTimeout: http.keepAlive, connections: http.connections });
  const mailers = new Map<string, Mailer>();
  const mailer = (name: string, channel: EmailChannel): Mailer => {
    const existing = mailers.get(name);
    if (existing) return existing;
    const created = createMailer(channel);
    mailers.set(name, created);
    return created;
  };

  return {
    async send(channel, deliveryId, alert, signal) {
      switch (channel.kind) {
        case "file":
          return appendAlertLine(channel.options.path, alert);
        case "webhook":
          return postWebhook({
            channel: channel.options,
            name: channel.name,
            id: `msg_${deliveryId}`,
            body: JSON.stringify(alert),
            now: () => clock.now(),
            dispatcher,
            signal,
          });
        case "email": {
          const content = { subject: renderSubject(channel.options.subject, alert), text: renderText(alert), html: renderHtml(alert) };
          const id = messageId(channel.options, `${alert.story.id}\u0000${alert.kind}`);
          return sendMail(mailer(channel.name, channel.options), channel.options, channel.name, id, content, signal);
        }
      }
    },
    async sendDigest(name, channel, deliveryId, alerts, windowLabel, signal) {
      const content = renderDigest(groupDigest(alerts), windowLabel);
      return sendMail(mailer(name, channel), channel, name, messageId(channel, `digest\u0000${deliveryId}`), content, signal);
    },
    async close() {
      for (const m of mailers.values()) m.close();
      await dispatcher.close();
    },
  };
}
