--[[
  Reads the records lookup.lua named.

  KEYS: the copies' story records (dd:s:<story>), then the candidate clusters'
  records (dd:c:<cluster>) in lookup.lua's order.
  ARGV[1]: cjson table
    copies   number of story records among KEYS
    most     clusters to return at most (records that exist and were not merged away, first in order)

  Reply: number of copies found, then 5 fields per copy found (its position in
  KEYS, time, signature, cluster, known event) and 7 per cluster (position,
  first-story features, first, last, known event, index features, profile), flat.
]]
local a = cjson.decode(ARGV[1])
local left = a.most
local out = {0}
for i = 1, a.copies do
  local s = redis.call('HMGET', KEYS[i], 't', 'g', 'c', 'k')
  if s[1] then
    out[1] = out[1] + 1
    out[#out + 1] = i; out[#out + 1] = s[1]; out[#out + 1] = s[2]; out[#out + 1] = s[3]; out[#out + 1] = s[4] or ''
  end
end
for i = a.copies + 1, #KEYS do
  if left == 0 then break end
  local c = redis.call('HMGET', KEYS[i], 'f', 'first', 'last', 'k', 'ix', 'p', 'into')
  if c[2] and not c[7] then
    left = left - 1
    out[#out + 1] = i; out[#out + 1] = c[1] or ''; out[#out + 1] = c[2]; out[#out + 1] = c[3]
    out[#out + 1] = c[4] or ''; out[#out + 1] = c[5] or ''; out[#out + 1] = c[6] or ''
  end
end
return out
