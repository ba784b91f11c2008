/**
 * A loopback webhook receiver that behaves like a careful real one: it
 * verifies Standard Webhooks signatures with the `standardwebhooks` package,
 * answers from a script (status, headers, body, or hang until the sender gives up),
 * and accepts each webhook-id once, answering 200 to a repeat without
 * accepting it again.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";
import { waitFor } from "./wait-for.js";

export type Reply = { status: number; headers?: Record<string, string>; body?: string } | "hang";

export interface ReceivedRequest {
  call: number;
  id: string;
  timestamp: string;
  headers: IncomingMessage["headers"];
  body: string;
  /** null when the receiver has no secret. */
  verified: boolean | null;
  reply: Reply;
}

export interface WebhookReceiverOptions {
  secret?: string;
  /** The secret is raw bytes rather than `whsec_…` base64. */
  rawSecret?: boolean;
  /** The reply to the n-th call (1-based); 200 when absent. */
  reply?: (call: number, req: ReceivedRequest) => Reply;
  /** Called once a request has been read, before it is answered. */
  onRequest?: (req: ReceivedRequest) => void | Promise<void>;
}

export interface WebhookReceiver {
  url: string;
  requests: ReceivedRequest[];
  /** webhook-id → time it was first accepted (ms since epoch). */
  accepted: Map<string, number>;
  /** Requests answered 2xx for an id that had been accepted before. */
  duplicates: number;
  waitFor(predicate: () => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startWebhookReceiver(options: WebhookReceiverOptions = {}): Promise<WebhookReceiver> {
  const verifier = options.secret ? new Webhook(options.secret, options.rawSecret ? { format: "raw" } : undefined) : null;
  const requests: ReceivedRequest[] = [];
  const accepted = new Map<string, number>();
  const hanging = new Set<ServerResponse>();
  let duplicates = 0;

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      void (async () => {
        const body = Buffer.concat(chunks).toString("utf8");
        const header = (name: string) => String(req.headers[name] ?? "");
        const received: ReceivedRequest = {
          call: requests.length + 1,
          id: header("webhook-id"),
          timestamp: header("webhook-timestamp"),
          headers: req.headers,
          body,
          verified: verifier ? verifies(verifier, body, req.headers) : null,
          reply: { status: 200 },
        };
        requests.push(received);
        received.reply = options.reply?.(received.call, received) ?? { status: 200 };
        if (received.verified === false) received.reply = { status: 401 };
        await options.onRequest?.(received);
        const reply = received.reply;
        if (reply === "hang") {
          hanging.add(res);
          return;
        }
        if (reply.status >= 200 && reply.status < 300) {
          if (accepted.has(received.id)) duplicates++;
          else accepted.set(received.id, Date.now());
        }
        res.writeHead(reply.status, reply.headers).end(reply.body);
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/hook`,
    requests,
    accepted,
    get duplicates() {
      return duplicates;
    },
    waitFor: (predicate, timeout) => waitFor(predicate, { timeout, what: () => `the predicate (webhook-receiver: ${requests.length} requests)` }),
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function verifies(verifier: Webhook, body: string, headers: IncomingMessage["headers"]): boolean {
  try {
    verifier.verify(body, headers as Record<string, string>);
    return true;
  } catch {
    return false;
  }
}
