-- wrk script for bench/load.sh: GET a random path from a file, optionally as one of several
-- signed-in members, and count every response that is not the real page (a status other than
-- 200, or the page's marker missing from the body).
-- Arguments after `--`: PATHS_FILE MARKER [SESSIONS_FILE], where SESSIONS_FILE holds one
-- "cookie-header<TAB>csrf-token" line per member (bench/load.sh logs them in).
local requests, cookies, marker = {}, {}, ""
dofile("bench/wrk/common.lua")
local threads = {}
bad = 0


function setup(thread)
  threads[#threads + 1] = thread
end

function init(args)
  math.randomseed(os.time() * 1000 + math.floor(os.clock() * 1e6))
  marker = args[2] or ""
  local paths = lines(args[1])
  if args[3] then
    for _, l in ipairs(lines(args[3])) do cookies[#cookies + 1] = l:match("^([^\t]*)") end
  end
  -- Formatted once, so that wrk's Lua (on the same two cores as the server) costs little.
  for i, p in ipairs(paths) do
    local headers = nil
    if #cookies > 0 then headers = { Cookie = cookies[(i % #cookies) + 1] } end
    requests[i] = wrk.format("GET", p, headers)
  end
end

function request()
  return requests[math.random(1, #requests)]
end

function response(status, headers, body)
  if status ~= 200 or (marker ~= "" and not string.find(body, marker, 1, true)) then
    bad = bad + 1
    bad_status = status
  end
end

function done(summary, latency, requests)
  report(summary, latency, threads)
end
