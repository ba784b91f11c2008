/**
 * Item identity (miniflux reader/rss/adapter.go): the GUID when the feed gives
 * a stable one, else the canonical link, else title and date. Hashed, because
 * BullMQ ids may not contain ":" and GUIDs are often URLs.
 */
import { hashId } from "../../ids.js";
import { canonicalUrl } from "./canonical-url.js";

export interface IdentityFields {
  guid?: string | null;
  link?: string | null;
  title?: string | null;
  published?: string | null;
}

/** The identity key before hashing; URL-like GUIDs are canonicalised like links. */
export function identityKey(f: IdentityFields): string {
  const guid = f.guid?.trim();
  if (guid) return `guid:${canonicalUrl(guid) ?? guid}`;
  const link = f.link ? canonicalUrl(f.link) : null;
  if (link) return `url:${link}`;
  return `text:${(f.title ?? "").trim().toLowerCase()}|${f.published ?? ""}`;
}

export function itemId(f: IdentityFields): string {
  return hashId(identityKey(f));
}
