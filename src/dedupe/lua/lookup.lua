--[[
  The first half of a lookup (after collect.lua): which stories and clusters
  the story may repeat, by id. read.lua then reads the records they name.

  KEYS: the lookup keys only (collect.lua).
  ARGV[1]: the lookup fields (collect.lua).

  Reply: 'exists', verdict JSON, reported-by JSON, member no. when the story is
  recorded; else 'snapshot', token, number of copies, the copies' story ids,
  then per index feature key (in KEYS order) the clusters in it updated
  within the window (ZCOUNT since +inf: its recent document frequency),
  then the ids of the clusters in the index features, most hits first, ties
  in order of first hit (a bucket per hit count, no sort).
]]
local found = existing()
if found then return found end
local copies, ids, hits, token = collect()
local out = {'snapshot', token, #copies}
for _, id in ipairs(copies) do out[#out + 1] = id end
for i = a.nspans + 2, a.nlookup do out[#out + 1] = redis.call('ZCOUNT', KEYS[i], a.since, '+inf') end
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
