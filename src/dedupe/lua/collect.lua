--[[
  Shared opening of lookup.lua and commit.lua (prepended to each): reads the
  packed argument and defines `collect`, which reads what a lookup sees and
  names it with a token, and `existing`, the story's recorded verdict.

  Lookup KEYS (both scripts start with them):
    KEYS[1]                      the story record (dd:s:<story>)
    KEYS[2 .. nspans + 1]        the LSH bucket hashes of the spans around it (dd:b:<span>)
    KEYS[nspans + 2 .. nlookup]  the index features' cluster zsets (dd:f:<feature>)

  ARGV[1]: one cjson-encoded table; the lookup fields are
    nspans   number of span keys
    nlookup  number of lookup keys
    since    oldest cluster update within the window (ms)
    bands    the story's LSH buckets (list of strings)
    read     clusters read per index feature (most recently updated first)
]]
local a = cjson.decode(ARGV[1])

-- Reads the lookup KEYS: copies (story ids in the buckets), then clusters by index hits, and the token naming it all.
local function collect()
  local copies, seen = {}, {}
  if #a.bands > 0 then
    for i = 2, a.nspans + 1 do
      for _, id in ipairs(redis.call('HMGET', KEYS[i], unpack(a.bands))) do
        if id and not seen[id] then seen[id] = true; copies[#copies + 1] = id end
      end
    end
  end
  -- The token names what was read, in the order read: the same state reads the same way.
  local hits, ids, all = {}, {}, {}
  for i, id in ipairs(copies) do all[i] = id end
  for i = a.nspans + 2, a.nlookup do
    for _, id in ipairs(redis.call('ZREVRANGEBYSCORE', KEYS[i], '+inf', a.since, 'LIMIT', 0, a.read)) do
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
