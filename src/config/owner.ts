/**
 * Which config a feed's job scheduler belongs to. Several configs may share
 * one Redis and prefix (two teams, a test beside production); each removes
 * only the schedulers it made. A config is known by its `owner` key, else by
 * its file's absolute path — so processes that run the same file are one
 * owner, and moving the file or changing `owner` makes a new one (the old
 * one's feeds are then left alone, and reported).
 */
import path from "node:path";
import type { Config } from "./schema.js";

export function configOwner(config: Pick<Config, "owner">, configFile: string): string {
  return config.owner ?? path.resolve(configFile);
}
