--[[
  Closes a digest window, so later alerts go to the next one, and returns
  what it collected (digest-store.ts). Safe to repeat.

  KEYS[1]  the window's closed marker
  KEYS[2]  the window's hash of alerts (delivery id → alert JSON)

  ARGV[1]  JSON table:
    ttlMs   how long the closed marker is kept (ms)

  Returns the window's alerts, as JSON texts.
]]
local closed, items = KEYS[1], KEYS[2]
local args = cjson.decode(ARGV[1])

redis.call('SET', closed, '1', 'PX', args.ttlMs)
return redis.call('HVALS', items)
