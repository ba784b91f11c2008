--[[
  Adds one alert to a digest window unless the window was already flushed
  (digest-store.ts). Adding the same delivery id again replaces it: a repeat
  is a no-op.

  KEYS[1]  the window's closed marker
  KEYS[2]  the window's hash of alerts (delivery id → alert JSON)

  ARGV[1]  JSON table:
    id      the delivery id
    alert   the alert, as JSON text
    ttlMs   how long the window's alerts are kept (ms)

  Returns 1 when added, 0 when the window is closed.
]]
local closed, items = KEYS[1], KEYS[2]
local args = cjson.decode(ARGV[1])

if redis.call('EXISTS', closed) == 1 then return 0 end
redis.call('HSET', items, args.id, args.alert)
redis.call('PEXPIRE', items, args.ttlMs)
return 1
