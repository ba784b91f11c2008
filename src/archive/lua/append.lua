--[[
  Adds one entry to today's items stream and keeps the archive under its
  byte cap, atomically, so that processes appending at once never count the
  same bytes twice or trim too little (writer.ts, keys.ts).

  KEYS[1]     archive:bytes (items stream key → compressed bytes in it)
  KEYS[2..n]  the items streams of every day in the span, oldest first; the last is today's

  ARGV[1]  JSON table:
    cap        the archive's cap in bytes
    todayTtl   TTL of today's stream (ms)
    bytesTtl   TTL of archive:bytes (ms)
    dropLimit  entries dropped at most per call (bounded work per poll; a lowered cap is reached over later calls)
    t          the entry's first-seen time (ms)
    n          the entry's number of stories
  ARGV[2]  z, the entry's compressed batch: bytes, which JSON cannot carry, so it comes apart from the table

  Returns { bytes kept, entries dropped }. Oldest entries go first; their
  size is the length of their z field, as counted when they were added.
]]
local sizes = KEYS[1]
local today = KEYS[#KEYS]
local args = cjson.decode(ARGV[1])
local z = ARGV[2]

redis.call('XADD', today, '*', 't', args.t, 'n', args.n, 'z', z)
redis.call('PEXPIRE', today, args.todayTtl)
redis.call('HINCRBY', sizes, today, string.len(z))
redis.call('PEXPIRE', sizes, args.bytesTtl)

-- Days that left the span have expired: forget their sizes.
local live = {}
for i = 2, #KEYS do live[KEYS[i]] = true end
for _, field in ipairs(redis.call('HKEYS', sizes)) do
  if not live[field] then redis.call('HDEL', sizes, field) end
end

local total = 0
for i = 2, #KEYS do total = total + tonumber(redis.call('HGET', sizes, KEYS[i]) or '0') end

local dropped, i = 0, 2
while total > args.cap and dropped < args.dropLimit and i <= #KEYS do
  local first = redis.call('XRANGE', KEYS[i], '-', '+', 'COUNT', 1)[1]
  if not first then
    redis.call('HDEL', sizes, KEYS[i])
    i = i + 1
  else
    local fields, bytes = first[2], 0
    for j = 1, #fields, 2 do
      if fields[j] == 'z' then bytes = string.len(fields[j + 1]) end
    end
    redis.call('XDEL', KEYS[i], first[1])
    redis.call('HINCRBY', sizes, KEYS[i], -bytes)
    total = total - bytes
    dropped = dropped + 1
  end
end
return { total, dropped }
