/**
 * The JSONL file channel: one line per alert, appended with O_APPEND in a
 * single write and fsynced, so concurrent writers never interleave and a
 * reader never sees a partial line. A retry after a crash between write and
 * delivery record may repeat a line; readers key lines by story id and kind.
 */
import { mkdir, open } from "node:fs/promises";
import path from "node:path";
import type { Alert } from "../queues/payloads.js";

export async function appendAlertLine(file: string, alert: Alert): Promise<string> {
  const line = Buffer.from(JSON.stringify(alert) + "\n", "utf8");
  await mkdir(path.dirname(file), { recursive: true });
  const handle = await open(file, "a");
  try {
    const { bytesWritten } = await handle.write(line);
    if (bytesWritten !== line.length) throw new Error(`alerts/file: short write to ${file} (${bytesWritten}/${line.length} bytes)`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  return `appended to ${file}`;
}
