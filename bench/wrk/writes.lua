-- wrk script for bench/load.sh: the write mix of signed-in members, through the same forms the
-- browser posts: half answers (POST /questions/{id}/answers), half votes (POST .../vote, up or
-- down, on questions and answers). A write is counted as done when the server answers with the
-- redirect back to the page (303); anything else is counted as wrong.
-- A member never votes twice on one post (that is refused, rightly): request n of thread t goes
-- to member n mod M and to the post at slot (n div M) * T + t of a list of posts none of the
-- members has voted on, so each (member, post) pair comes up at most once.
-- The warm-up (a sixth argument, "warmup") takes its posts from the second half of the lists, so
-- that the measured run does not meet the warm-up's votes.
-- Arguments after `--`: QUESTION_IDS_FILE ANSWER_IDS_FILE SESSIONS_FILE ORIGIN THREADS [warmup]
local questions, answers, sessions = {}, {}, {}
local origin = ""
local thread_count = 1
local warmup = false
dofile("bench/wrk/common.lua")
local threads = {}
local n = 0
bad = 0


function setup(thread)
  threads[#threads + 1] = thread
  thread:set("id", #threads)
end

function init(args)
  math.randomseed(os.time() * 1000 + math.floor(os.clock() * 1e6) + (id or 0))
  questions, answers = lines(args[1]), lines(args[2])
  for _, l in ipairs(lines(args[3])) do
    local cookie, csrf = l:match("^([^\t]*)\t(.*)$")
    sessions[#sessions + 1] = { cookie = cookie, csrf = csrf }
  end
  origin = args[4]
  thread_count = tonumber(args[5]) or 1
  warmup = args[6] == "warmup"
end

-- The post for request n: never the same (member, post) pair twice.
local function slot(list)
  local i = math.floor(n / #sessions) * thread_count + (id or 1)
  if warmup then i = i + math.floor(#list / 2) end
  return list[(i - 1) % #list + 1]
end

function request()
  n = n + 1
  local s = sessions[(n % #sessions) + 1]
  local headers = {
    Cookie = s.cookie,
    Origin = origin,
    ["Content-Type"] = "application/x-www-form-urlencoded",
  }
  local r = math.random(1, 4)
  if r <= 2 then
    local q = questions[math.random(1, #questions)]
    local body = "csrf_token=" .. s.csrf .. "&body=" ..
      "Load+test+answer+" .. (id or 0) .. "-" .. n .. "%3A+restarting+the+sync+service+and+clearing+the+cache+fixed+it+for+us."
    return wrk.format("POST", "/questions/" .. q .. "/answers", headers, body)
  end
  local value = (math.random(1, 5) == 1) and "down" or "up"
  local body = "csrf_token=" .. s.csrf .. "&value=" .. value
  if r == 3 then
    return wrk.format("POST", "/questions/" .. slot(questions) .. "/vote", headers, body)
  end
  return wrk.format("POST", "/answers/" .. slot(answers) .. "/vote", headers, body)
end

function response(status, headers, body)
  if status ~= 303 then
    bad = bad + 1
    bad_status = status
  end
end

function done(summary, latency, requests)
  report(summary, latency, threads)
end
