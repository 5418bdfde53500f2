-- wrk script: every z0-z6 tile of one layer (5 461 of them) in a shuffled order, one format —
-- the "scattered" tile figures of the README. TILE_LAYER (default bluemarble), TILE_EXT (jpg or
-- png, default png). Each thread walks the same shuffled list from its own offset. Reporting is
-- wrk_report.lua's.
dofile("bench/wrk_report.lua")
local layer = os.getenv("TILE_LAYER") or "bluemarble"
local ext = os.getenv("TILE_EXT") or "png"
local paths = {}
for z = 0, 6 do
  local n = 2 ^ z
  for x = 0, n - 1 do
    for y = 0, n - 1 do
      paths[#paths + 1] = string.format("/v1/tiles/%s/%d/%d/%d.%s", layer, z, x, y, ext)
    end
  end
end
math.randomseed(42)
for i = #paths, 2, -1 do
  local j = math.random(i)
  paths[i], paths[j] = paths[j], paths[i]
end
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[((tid or 0) * 997 + i) % #paths + 1])
end
