--[[
  Counts one send of a channel against its rate limit, a fixed window that
  starts at the first send (rate-limit.ts). Atomic, so workers in several
  processes share the count.

  KEYS[1]  the channel's send counter

  ARGV[1]  JSON table:
    max     sends allowed per window
    per     the window's length (ms)

  Returns 0 when the channel may send now, else the ms until its window reopens.
]]
local counter = KEYS[1]
local args = cjson.decode(ARGV[1])

local n = redis.call('INCR', counter)
if n == 1 then redis.call('PEXPIRE', counter, args.per) end
if n <= args.max then return 0 end
local ttl = redis.call('PTTL', counter)
if ttl <= 0 then
  redis.call('PEXPIRE', counter, args.per)
  ttl = args.per
end
return ttl
