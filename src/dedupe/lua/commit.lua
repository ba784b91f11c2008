--[[
  Applies a verdict (after collect.lua): merges the clusters it absorbs into
  its cluster, then adds the story, and returns the stored record; only when
  the lookup's token still holds (unless `check` is false: bulk loads). Every
  key it touches is in KEYS; none is built here, so it runs on Redis Cluster.

  KEYS: the lookup keys (collect.lua), then
    [nlookup + 1]  the cluster record (dd:c:<cluster>)
    [nlookup + 2]  its member list (dd:c:<cluster>:m)
    [nlookup + 3]  the recent-clusters zset (dd:clusters)
    then the cluster's index feature zsets, one per feature of `ix`,
    then per absorbed cluster: its record, its member list, and its index
    feature zsets, one per feature of its `ix`.

  ARGV[1]: cjson table, the lookup fields (collect.lua) and
    check       false: skip the token check (bulk loads of decided stories)
    token       the lookup's token
    id          story id
    time        story time (ms)
    sig         MinHash signature (encoded)
    verdict     the verdict, JSON (without alsoReportedBy)
    cluster     the cluster id
    known       known event id, or ''
    member      the member, JSON; source: its source
    open        absent, or {features, first, profile} when the story opens the cluster
    ix          the cluster's index features as the client expects them stored (space-separated feature keys)
    own         the story's index features (feature keys), in the order of their lookup KEYS
    joinIndex   of those, how many the cluster takes when it lacks them (store.ts joinedIndex)
    profile     the story's features as a profile (profile.ts encoding)
    size        profile features kept
    absorb      list of {id, ix}: clusters merged into this one first
    ttl         ms every written key lives
    memberCap, indexCap, mergedIndexCap   list and zset caps
    ownSpan     the position in KEYS of the story's own span's LSH bucket hash

  Replies: 'exists' (collect.lua); 'conflict' (the token changed, or an
  absorbed cluster was merged meanwhile); 'moved', survivor id, its known
  event (the cluster was merged into another); 'index', cluster id, stored ix
  (the client named other index keys: nothing was written); else 'done',
  verdict JSON, reported-by JSON, member no., the cluster's index features.
]]
local found = existing()
if found then return found end
if a.check then
  local _, _, _, token = collect()
  if token ~= a.token then return {'conflict'} end
end

local cid, time, ttl, known = a.cluster, a.time, a.ttl, a.known
local ckey, mkey, recent = KEYS[a.nlookup + 1], KEYS[a.nlookup + 2], KEYS[a.nlookup + 3]
local function words(s)
  local out = {}
  for w in string.gmatch(s, '%S+') do out[#out + 1] = w end
  return out
end

-- profile.ts addProfiles: summed tenths, the `size` heaviest, ties by key.
local function addp(x, y)
  local sum, list = {}, {}
  for _, s in ipairs({x, y}) do
    for f, w in string.gmatch(s, '(%S+)%*(%d+)') do
      if not sum[f] then sum[f] = 0; list[#list + 1] = f end
      sum[f] = sum[f] + tonumber(w)
    end
  end
  table.sort(list, function(p, q) if sum[p] ~= sum[q] then return sum[p] > sum[q] end return p < q end)
  local out = {}
  for i = 1, math.min(#list, a.size) do out[i] = list[i] .. '*' .. string.format('%d', sum[list[i]]) end
  return table.concat(out, ' ')
end

-- Index feature → its zset key, from what the client declared (checked against the stored ix below).
local fkey = {}
local pos = a.nlookup + 4
local function declare(ix)
  for _, f in ipairs(words(ix)) do fkey[f] = KEYS[pos]; pos = pos + 1 end
end

local c = redis.call('HMGET', ckey, 'first', 'ix', 'into', 'ik')
if c[3] then return {'moved', c[3], c[4] or ''} end
local ix = c[1] and (c[2] or '') or (a.open and a.ix or '')
if ix ~= a.ix then return {'index', cid, ix} end
declare(a.ix)
local losers = {}
for _, l in ipairs(a.absorb) do
  local lkey, lmkey = KEYS[pos], KEYS[pos + 1]
  pos = pos + 2
  local r = redis.call('HMGET', lkey, 'first', 'ix', 'into')
  if r[3] then return {'conflict'} end
  if r[1] and (r[2] or '') ~= l.ix then return {'index', l.id, r[2] or ''} end
  declare(l.ix)
  if r[1] and l.id ~= cid then losers[#losers + 1] = {id = l.id, key = lkey, mkey = lmkey, ix = l.ix} end
end

if not c[1] then
  local first = a.open and a.open.first or time
  redis.call('HSET', ckey, 'f', a.open and a.open.features or '', 'ix', ix, 'first', first, 'last', first, 'n', 0, 'k', known,
    'p', a.open and a.open.profile or '')
end

local function addToIndex(f, last)
  local key = fkey[f]
  redis.call('ZADD', key, last, cid)
  redis.call('ZREMRANGEBYRANK', key, 0, -a.indexCap - 1)
  redis.call('PEXPIRE', key, ttl)
end

for _, l in ipairs(losers) do
  local s = redis.call('HMGET', ckey, 'first', 'last', 'n', 'p', 'k', 'mg')
  local r = redis.call('HMGET', l.key, 'first', 'last', 'n', 'p', 'k')
  local last = math.max(tonumber(s[2]), tonumber(r[2]))
  local k = (s[5] ~= '' and s[5]) or r[5] or ''
  local merged = s[6] and cjson.decode(s[6]) or {}
  merged[#merged + 1] = {id = l.id, at = time, count = tonumber(r[3])}
  redis.call('HSET', ckey, 'first', math.min(tonumber(s[1]), tonumber(r[1])), 'last', last, 'n', tonumber(s[3]) + tonumber(r[3]),
    'p', addp(s[4] or '', r[4] or ''), 'k', k, 'mg', cjson.encode(merged), 'ix', ix)
  local moving = redis.call('LRANGE', l.mkey, 0, -1)
  if #moving > 0 then redis.call('RPUSH', mkey, unpack(moving)) end
  redis.call('LTRIM', mkey, -a.memberCap, -1)
  for _, f in ipairs(words(l.ix)) do
    redis.call('ZREM', fkey[f], l.id)
    addToIndex(f, last)
  end
  -- store.ts mergedIndex: the survivor's own, then the loser's new ones, capped.
  local have, list = {}, words(ix)
  for _, f in ipairs(list) do have[f] = true end
  for _, f in ipairs(words(l.ix)) do
    if not have[f] and #list < a.mergedIndexCap then have[f] = true; list[#list + 1] = f end
  end
  ix = table.concat(list, ' ')
  redis.call('HSET', ckey, 'ix', ix)
  redis.call('HSET', l.key, 'into', cid, 'ik', k)
  redis.call('DEL', l.mkey)
  redis.call('ZREM', recent, l.id)
  redis.call('PEXPIRE', l.key, ttl)
end

-- store.ts joinedIndex: a few of the story's index features the cluster lacks, up to the cap; their zsets are lookup KEYS.
do
  local have, list, added = {}, words(ix), 0
  for _, f in ipairs(list) do have[f] = true end
  for i, f in ipairs(a.own) do
    if added >= a.joinIndex or #list >= a.mergedIndexCap then break end
    if not have[f] then
      have[f] = true; list[#list + 1] = f; added = added + 1
      fkey[f] = KEYS[a.nspans + 1 + i]
    end
  end
  ix = table.concat(list, ' ')
end

local s = redis.call('HMGET', ckey, 'first', 'last', 'p')
local last = math.max(tonumber(s[2]), time)
local n = redis.call('HINCRBY', ckey, 'n', 1)
redis.call('HSET', ckey, 'first', math.min(tonumber(s[1]), time), 'last', last, 'p', addp(s[3] or '', a.profile), 'ix', ix)
local sources, seen = {}, {}
for _, raw in ipairs(redis.call('LRANGE', mkey, 0, -1)) do
  local m = cjson.decode(raw)
  if m.id ~= a.id and type(m.source) == 'string' and m.source ~= '' and m.source ~= a.source and not seen[m.source] then
    seen[m.source] = true; sources[#sources + 1] = m.source
  end
end
redis.call('RPUSH', mkey, a.member)
redis.call('LTRIM', mkey, -a.memberCap, -1)
for _, f in ipairs(words(ix)) do addToIndex(f, last) end
local reported = #sources == 0 and '[]' or cjson.encode(sources)
redis.call('HSET', KEYS[1], 'd', a.verdict, 'r', reported, 'n', n, 't', time, 'g', a.sig, 'c', cid, 'k', known)
if #a.bands > 0 then
  local kv = {}
  for _, b in ipairs(a.bands) do kv[#kv + 1] = b; kv[#kv + 1] = a.id end
  local own = KEYS[a.ownSpan]
  redis.call('HSET', own, unpack(kv))
  redis.call('PEXPIRE', own, ttl)
end
redis.call('ZADD', recent, last, cid)
redis.call('ZREMRANGEBYSCORE', recent, '-inf', '(' .. (last - ttl))
for _, key in ipairs({KEYS[1], ckey, mkey, recent}) do redis.call('PEXPIRE', key, ttl) end
return {'done', a.verdict, reported, n, ix}
