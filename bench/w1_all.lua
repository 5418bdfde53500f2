-- wrk script for W1-all (../shared/bench/w1/README.md): every one of the card's labels carries the
-- request's own N. W1_ALL_QUERY is the card URL with "{N}" where each label's number goes (made
-- by bench/splice.sh from templates/w1.json); the reporting is wrk_report.lua's.
dofile("bench/wrk_report.lua")
local query = os.getenv("W1_ALL_QUERY")
local counter = 0
request = function()
  counter = counter + 1
  local n = tostring((tid or 0) * 100000000 + counter)
  return wrk.format("GET", (query:gsub("{N}", n)))
end
