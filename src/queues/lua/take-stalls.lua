--[[
  Turns a job's stalls since it last started into used attempts (stalls.ts).

  KEYS[1]  the job hash (its `stc` stall count and `atm` attempts made)

  ARGV[1]  JSON table:
    attempts  the job's attempts
    counted   true when stalls use attempts (false for a scheduler's job)

  Returns { stalls since the last take, attempts made after counting them
  (uncapped), or -1 when nothing was counted }.
]]
local job = KEYS[1]
local args = cjson.decode(ARGV[1])

local stalls = tonumber(redis.call('HGET', job, 'stc') or '0') or 0
if stalls == 0 then return {0, -1} end
redis.call('HSET', job, 'stc', 0)
if not args.counted then return {stalls, -1} end
local made = (tonumber(redis.call('HGET', job, 'atm') or '0') or 0) + stalls
-- One below the limit when spent: failing the job then makes it exactly its attempts.
redis.call('HSET', job, 'atm', math.min(made, args.attempts - 1))
return {stalls, made}
