/**
 * APPEND: adds one entry to today's items stream and keeps the archive under
 * its byte cap, atomically, so that processes appending at once never count
 * the same bytes twice or trim too little.
 *
 * KEYS[1]        archive:bytes (stream key → compressed bytes in it)
 * KEYS[2..n]     the items streams of every day in the span, oldest first; the last is today's
 * ARGV[1] cap in bytes    ARGV[2] today's TTL (ms)    ARGV[3] TTL of archive:bytes (ms)
 * ARGV[4] entries dropped at most per call (bounded work per poll; a lowered cap is reached over later calls)
 * ARGV[5] t (first seen)  ARGV[6] n (stories)  ARGV[7] z (the compressed batch)
 *
 * Returns { bytes kept, entries dropped }. Oldest entries go first; their
 * size is the length of their z field, as counted when they were added.
 */
export const APPEND = `
local sizes = KEYS[1]
local today = KEYS[#KEYS]
local cap = tonumber(ARGV[1])
redis.call('XADD', today, '*', 't', ARGV[5], 'n', ARGV[6], 'z', ARGV[7])
redis.call('PEXPIRE', today, ARGV[2])
redis.call('HINCRBY', sizes, today, string.len(ARGV[7]))
redis.call('PEXPIRE', sizes, ARGV[3])

-- Days that left the span have expired: forget their sizes.
local live = {}
for i = 2, #KEYS do live[KEYS[i]] = true end
for _, field in ipairs(redis.call('HKEYS', sizes)) do
  if not live[field] then redis.call('HDEL', sizes, field) end
end

local total = 0
for i = 2, #KEYS do total = total + tonumber(redis.call('HGET', sizes, KEYS[i]) or '0') end

local dropped, limit, i = 0, tonumber(ARGV[4]), 2
while total > cap and dropped < limit and i <= #KEYS do
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
`;
