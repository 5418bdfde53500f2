-- wrk script for the harness. With PATH_PREFIX set, every request carries a distinct
-- ?seed=N (per-thread id prefix + counter, as ../shared/bench/w1/seed.lua); with FIXED_PATH
-- set, every request is that path (cache hits). Prints one JSON line: requests, req/s,
-- p50/p99 (ms), 2xx and non-2xx counts (the server answers only 200 or 503 here), socket errors.
-- No response() callback: it would copy every 300 KB body into Lua and make wrk the bottleneck.
local prefix = os.getenv("PATH_PREFIX")
local fixed = os.getenv("FIXED_PATH")
-- TILE_LAYER + TILE_Z: walk every tile of that zoom with each label option (unique URLs).
local tile_layer, tile_z = os.getenv("TILE_LAYER"), tonumber(os.getenv("TILE_Z") or "")
local nthreads = 0

function setup(thread)
  thread:set("tid", nthreads)
  nthreads = nthreads + 1
end

local counter = 0

request = function()
  if fixed then
    return wrk.format("GET", fixed)
  end
  counter = counter + 1
  if tile_layer then
    -- every tile of the zoom with each label option: 3 x 4^z distinct URLs
    local options = {"?labels=places", "?labels=graticule", "?labels=places,graticule"}
    local n = 2 ^ tile_z
    local i = (counter * 2 + (tid or 0)) % (3 * n * n)
    local t = i % (n * n)
    return wrk.format("GET", string.format("/v1/tiles/%s/%d/%d/%d.jpg%s", tile_layer, tile_z,
                                           t % n, math.floor(t / n), options[math.floor(i / (n * n)) + 1]))
  end
  return wrk.format("GET", prefix .. ((tid or 0) * 100000000 + counter))
end

done = function(summary, latency, requests)
  local non2xx = summary.errors.status
  local parts = {string.format('"2xx": %d', summary.requests - non2xx), string.format('"non-2xx": %d', non2xx)}
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests": %d, "seconds": %.3f, "rps": %.1f, "p50_ms": %.2f, "p99_ms": %.2f, ' ..
    '"statuses": {%s}, "connect_errors": %d, "read_errors": %d, "write_errors": %d, "timeouts": %d}\n',
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, table.concat(parts, ", "),
    e.connect, e.read, e.write, e.timeout))
end
