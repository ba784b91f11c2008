/**
 * The Redis store's scripts. Every key a script touches is named in its KEYS
 * (none is built from an id read inside the script), so the scripts keep
 * Redis's rule for scripts and run unchanged on a Redis Cluster.
 *
 * LOOKUP and COMMIT both begin by collecting what a lookup sees (the stories
 * in the story's LSH buckets in the spans around it, and the clusters in its
 * index features) and naming it with a SHA-1 token; COMMIT applies a verdict
 * only when that token is unchanged, in one atomic script, so two workers
 * cannot both open a cluster for one event. LOOKUP returns ids only: the
 * client then names their records in READ's KEYS.
 *
 * Lookup KEYS (both scripts start with them): [1] the story record, then the
 * LSH bucket hashes of the spans around it, then the index feature keys.
 * ARGV[1] key base, [2] number of span keys, [3] oldest cluster update in the
 * window, [4] the story's LSH buckets (space-separated).
 */
import { READ_PER_FEATURE } from "./store.js";

const HEADER = `
local base = ARGV[1]
local nspans = tonumber(ARGV[2])
local since = ARGV[3]
local bands = {}
for b in string.gmatch(ARGV[4], '%S+') do bands[#bands + 1] = b end
`;

const COLLECT = `${HEADER}
-- Reads the lookup KEYS, KEYS[1] .. KEYS[last].
local function collect(last)
  local copies, seen = {}, {}
  if #bands > 0 then
    for i = 2, nspans + 1 do
      for _, id in ipairs(redis.call('HMGET', KEYS[i], unpack(bands))) do
        if id and not seen[id] then seen[id] = true; copies[#copies + 1] = id end
      end
    end
  end
  -- The token names what was read, in the order read: the same state reads the same way.
  local hits, ids, all = {}, {}, {}
  for i, id in ipairs(copies) do all[i] = id end
  for i = nspans + 2, last do
    for _, id in ipairs(redis.call('ZREVRANGEBYSCORE', KEYS[i], '+inf', since, 'LIMIT', 0, ${READ_PER_FEATURE})) do
      all[#all + 1] = id
      if not hits[id] then hits[id] = 0; ids[#ids + 1] = id end
      hits[id] = hits[id] + 1
    end
  end
  return copies, ids, hits, redis.sha1hex(table.concat(all, ' '))
end
local function existing()
  local r = redis.call('HMGET', KEYS[1], 'd', 'r', 'n')
  if r[1] then return {'exists', r[1], r[2], r[3]} end
  return nil
end
`;

/**
 * KEYS: the lookup keys only. Reply: 'exists', verdict, reported-by, member
 * no. when the story is recorded; else 'snapshot', token, number of copies,
 * the copies' story ids, then the ids of the clusters in the index features,
 * most hits first, ties in order of first hit (a bucket per hit count, no
 * sort). READ then reads the records they name.
 */
export const LOOKUP = `${COLLECT}
local found = existing()
if found then return found end
local copies, ids, hits, token = collect(#KEYS)
local out = {'snapshot', token, #copies}
for _, id in ipairs(copies) do out[#out + 1] = id end
local byhits, most = {}, 0
for _, id in ipairs(ids) do
  local h = hits[id]
  if not byhits[h] then byhits[h] = {} end
  table.insert(byhits[h], id)
  if h > most then most = h end
end
for h = most, 1, -1 do
  for _, id in ipairs(byhits[h] or {}) do out[#out + 1] = id end
end
return out
`;

/**
 * Reads the records LOOKUP named. KEYS: the copies' story records, then the
 * candidate clusters' records in LOOKUP's order. ARGV[1] number of copies,
 * [2] most clusters returned (records that exist, first in order).
 * Reply: number of copies found, then 5 fields per copy found (its position
 * in KEYS, time, signature, cluster, known event) and 6 per cluster (position,
 * features, first, last, known event, index features), flat.
 */
export const READ = `
local ncopies, left = tonumber(ARGV[1]), tonumber(ARGV[2])
local out = {0}
for i = 1, ncopies do
  local s = redis.call('HMGET', KEYS[i], 't', 'g', 'c', 'k')
  if s[1] then
    out[1] = out[1] + 1
    out[#out + 1] = i; out[#out + 1] = s[1]; out[#out + 1] = s[2]; out[#out + 1] = s[3]; out[#out + 1] = s[4] or ''
  end
end
for i = ncopies + 1, #KEYS do
  if left == 0 then break end
  local c = redis.call('HMGET', KEYS[i], 'f', 'first', 'last', 'k', 'ix')
  if c[1] then
    left = left - 1
    out[#out + 1] = i; out[#out + 1] = c[1]; out[#out + 1] = c[2]; out[#out + 1] = c[3]; out[#out + 1] = c[4] or ''; out[#out + 1] = c[5] or ''
  end
end
return out
`;

/**
 * Applies a verdict and returns the stored record.
 *
 * KEYS: the lookup keys, then [n+1] the cluster record, [n+2] its member
 * list, [n+3] the recent-clusters zset, then the keys of the cluster's index
 * features: the stored `ix` of an existing cluster, else those of ARGV[16]
 * when the story opens it, else none.
 * ARGV[1..4] as the lookup, [5] the lookup's token, [6] story id, [7] time,
 * [8] signature, [9] verdict JSON, [10] cluster id, [11] known event or '',
 * [12] member JSON, [13] member source, [14] '1' when the story opens the
 * cluster, [15] its features (encoded, feature keys), [16] its index feature
 * keys (space-separated), [17] its first time, [18] ttl ms, [19] member cap,
 * [20] index cap, [21] the position in KEYS of the story's own span's LSH
 * bucket hash, [22] n, the number of lookup keys.
 *
 * A cluster's `ix` is written once, when it is created, and the client names
 * its keys from what it last read; when the cluster expired and came back
 * with another `ix`, nothing is written and the reply is 'index' with the
 * stored `ix`, for the client to name the right keys and try again.
 */
const WRITE = `
local id, time, cid, known = ARGV[6], tonumber(ARGV[7]), ARGV[10], ARGV[11]
local ttl, cap, icap = tonumber(ARGV[18]), tonumber(ARGV[19]), tonumber(ARGV[20])
local nlook = tonumber(ARGV[22])
local ckey, mkey, recent = KEYS[nlook + 1], KEYS[nlook + 2], KEYS[nlook + 3]
local exists = redis.call('EXISTS', ckey) == 1
local opens = ARGV[14] == '1'
local c = exists and redis.call('HMGET', ckey, 'first', 'last', 'ix')
local ix = exists and (c[3] or '') or (opens and ARGV[16] or '')
local fkeys = {}
for f in string.gmatch(ix, '%S+') do fkeys[#fkeys + 1] = base .. ':f:' .. f end
if #fkeys ~= #KEYS - nlook - 3 then return {'index', ix} end
for i, fkey in ipairs(fkeys) do
  if KEYS[nlook + 3 + i] ~= fkey then return {'index', ix} end
end
local n, last
local sources = {}
if not exists then
  local first = tonumber(opens and ARGV[17] or ARGV[7])
  last = math.max(first, time)
  n = 1
  redis.call('HSET', ckey, 'f', opens and ARGV[15] or '', 'ix', ix, 'first', math.min(first, time), 'last', last, 'n', 1, 'k', known)
else
  n = redis.call('HINCRBY', ckey, 'n', 1)
  last = math.max(tonumber(c[2]), time)
  redis.call('HSET', ckey, 'first', math.min(tonumber(c[1]), time), 'last', last)
  local seen = {}
  for _, raw in ipairs(redis.call('LRANGE', mkey, 0, -1)) do
    local m = cjson.decode(raw)
    if m.id ~= id and type(m.source) == 'string' and m.source ~= '' and m.source ~= ARGV[13] and not seen[m.source] then
      seen[m.source] = true; sources[#sources + 1] = m.source
    end
  end
end
redis.call('RPUSH', mkey, ARGV[12])
redis.call('LTRIM', mkey, -cap, -1)
for _, fkey in ipairs(fkeys) do
  redis.call('ZADD', fkey, last, cid)
  redis.call('ZREMRANGEBYRANK', fkey, 0, -icap - 1)
  redis.call('PEXPIRE', fkey, ttl)
end
local r = #sources == 0 and '[]' or cjson.encode(sources)
redis.call('HSET', KEYS[1], 'd', ARGV[9], 'r', r, 'n', n, 't', ARGV[7], 'g', ARGV[8], 'c', cid, 'k', known)
if #bands > 0 then
  local kv = {}
  for _, b in ipairs(bands) do kv[#kv + 1] = b; kv[#kv + 1] = id end
  local own = KEYS[tonumber(ARGV[21])]
  redis.call('HSET', own, unpack(kv))
  redis.call('PEXPIRE', own, ttl)
end
redis.call('ZADD', recent, last, cid)
redis.call('ZREMRANGEBYSCORE', recent, '-inf', '(' .. (last - ttl))
for _, k in ipairs({KEYS[1], ckey, mkey, recent}) do redis.call('PEXPIRE', k, ttl) end
return {'done', ARGV[9], r, n}
`;

export const COMMIT = `${COLLECT}
local found = existing()
if found then return found end
local _, _, _, token = collect(tonumber(ARGV[22]))
if token ~= ARGV[5] then return {'conflict'} end
${WRITE}`;

/** WRITE without the lookup check, for bulk loads of remembered stories (the benchmark's fill): COMMIT's KEYS and ARGV, ARGV[5] unused. */
export const FILL = `${HEADER}${WRITE}`;
