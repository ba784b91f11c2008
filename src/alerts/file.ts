/**
 * The JSONL file channel: one line per alert, appended with O_APPEND in a
 * single write and fsynced, so concurrent writers never interleave and a
 * reader never sees a partial line.
 *
 * A crash between the write and the delivery record makes the job run again.
 * So before appending, the end of the file (TAIL_BYTES, however large the
 * file) is searched for a line of the same story and kind; when one is there
 * the alert is not written twice. A repeat whose first copy lies further
 * back than that, or two writers of one alert at the same moment, can still
 * add a line: readers key lines by story id and kind.
 */
import { mkdir, open, type FileHandle } from "node:fs/promises";
import path from "node:path";
import type { Alert } from "../model/index.js";

/** How much of the file's end is searched for an earlier copy: the alerts written around a crash, many times over. */
export const TAIL_BYTES = 256 * 1024;

function sameAlert(line: string, alert: Alert): boolean {
  try {
    const written = JSON.parse(line) as { kind?: unknown; story?: { id?: unknown } };
    return written.story?.id === alert.story.id && (written.kind ?? "new") === alert.kind;
  } catch {
    return false;
  }
}

/** Whether a line for this story and kind is among the file's last TAIL_BYTES. */
async function inTail(handle: FileHandle, alert: Alert): Promise<boolean> {
  const { size } = await handle.stat();
  const length = Math.min(size, TAIL_BYTES);
  if (length === 0) return false;
  const buf = Buffer.alloc(length);
  const { bytesRead } = await handle.read(buf, 0, length, size - length);
  const lines = buf.subarray(0, bytesRead).toString("utf8").split("\n");
  // Read from the middle of the file, the first line is only the end of one.
  if (length < size) lines.shift();
  const id = JSON.stringify(alert.story.id);
  return lines.some((line) => line.includes(id) && sameAlert(line, alert));
}

export async function appendAlertLine(file: string, alert: Alert): Promise<string> {
  const line = Buffer.from(JSON.stringify(alert) + "\n", "utf8");
  await mkdir(path.dirname(file), { recursive: true });
  const handle = await open(file, "a+");
  try {
    if (await inTail(handle, alert)) return `already in ${file}`;
    const { bytesWritten } = await handle.write(line);
    if (bytesWritten !== line.length) throw new Error(`alerts/file: short write to ${file} (${bytesWritten}/${line.length} bytes)`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  return `appended to ${file}`;
}
