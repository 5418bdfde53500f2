-- wrk script for the harness. With PATH_PREFIX set, every request carries a distinct
-- ?seed=N (per-thread id prefix + counter, as ../shared/bench/w1/seed.lua); with FIXED_PATH
-- set, every request is that path (cache hits). Counts statuses per thread and prints one
-- JSON line: requests, req/s, p50/p99 (ms), statuses, socket errors.
local prefix = os.getenv("PATH_PREFIX")
local fixed = os.getenv("FIXED_PATH")
-- TILE_LAYER + TILE_Z + TILE_QUERY: walk every tile of that zoom once per thread (unique URLs).
local tile_layer, tile_z, tile_query = os.getenv("TILE_LAYER"), tonumber(os.getenv("TILE_Z") or ""), os.getenv("TILE_QUERY") or ""
local threads = {}
local nthreads = 0

function setup(thread)
  thread:set("tid", nthreads)
  nthreads = nthreads + 1
  table.insert(threads, thread)
end

local counter = 0
statuses = {}

request = function()
  if fixed then
    return wrk.format("GET", fixed)
  end
  counter = counter + 1
  if tile_layer then
    local n = 2 ^ tile_z
    local i = (counter * 2 + (tid or 0)) % (n * n)
    return wrk.format("GET", string.format("/v1/tiles/%s/%d/%d/%d.jpg%s", tile_layer, tile_z,
                                           i % n, math.floor(i / n), tile_query))
  end
  return wrk.format("GET", prefix .. ((tid or 0) * 100000000 + counter))
end

response = function(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

done = function(summary, latency, requests)
  local merged = {}
  for _, t in ipairs(threads) do
    local s = t:get("statuses")
    for k, v in pairs(s) do
      merged[k] = (merged[k] or 0) + v
    end
  end
  local parts = {}
  for k, v in pairs(merged) do
    table.insert(parts, string.format('"%d": %d', k, v))
  end
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests": %d, "seconds": %.3f, "rps": %.1f, "p50_ms": %.2f, "p99_ms": %.2f, ' ..
    '"statuses": {%s}, "connect_errors": %d, "read_errors": %d, "write_errors": %d, "timeouts": %d}\n',
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, table.concat(parts, ", "),
    e.connect, e.read, e.write, e.timeout))
end
