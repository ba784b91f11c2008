/**
 * Bull Board (the queues' own dashboard) under /queues. Its Express adapter is
 * used because an Express app is itself a plain node:http request handler: the
 * metrics server calls it with the path below /queues, and no second server,
 * framework bridge or port is needed. Bull Board's pages need inline styles,
 * so they get a policy of their own: everything from this origin only, which
 * also keeps the browser from fetching the web fonts its page links to.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { createBullBoard } from "@bull-board/api";
import { BullMQAdapter } from "@bull-board/api/bullMQAdapter";
import { ExpressAdapter } from "@bull-board/express";
import type { Queues } from "../queues/factory.js";

export const BULL_BOARD_PATH = "/queues";

const BOARD_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

type NodeHandler = (req: IncomingMessage, res: ServerResponse) => void;

export function createBullBoardHandler(queues: Queues): NodeHandler {
  const adapter = new ExpressAdapter().setBasePath(BULL_BOARD_PATH);
  createBullBoard({
    queues: Object.values(queues).map((q) => new BullMQAdapter(q)),
    serverAdapter: adapter,
    options: { uiConfig: { boardTitle: "newswatch queues" } },
  });
  const app = adapter.getRouter() as NodeHandler;
  return (req, res) => {
    // The board's routes are relative to where it is mounted.
    const rest = (req.url ?? "/").slice(BULL_BOARD_PATH.length);
    req.url = rest.startsWith("/") ? rest : `/${rest}`;
    res.setHeader("content-security-policy", BOARD_CSP);
    res.setHeader("x-content-type-options", "nosniff");
    app(req, res);
  };
}
