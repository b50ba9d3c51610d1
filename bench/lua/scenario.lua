-- One wrk script for every scenario; bench/run.py says what to send through the environment.
--
-- BENCH_REQUESTS names a file of requests, one a line: METHOD, path, Cookie header and
-- form body, separated by tabs. Each wrk thread walks the file in order from its own
-- starting point, so 1,000 articles (or 5,000 readers) are all visited.
-- BENCH_UNIQUE=1 makes every request its own: BENCH_RUN and a counter are appended to
-- the body (a comment must not repeat itself) and to the User-Agent (a click from a new
-- visitor).
-- done() prints one line of JSON (latencies in microseconds) for run.py to read.

local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

local function split(line)
  local fields = {}
  for field in (line .. "\t"):gmatch("([^\t]*)\t") do
    table.insert(fields, field)
  end
  return fields
end

function init(args)
  requests = {}
  for line in io.lines(os.getenv("BENCH_REQUESTS")) do
    if line ~= "" then
      table.insert(requests, split(line))
    end
  end
  unique = os.getenv("BENCH_UNIQUE") == "1"
  run = os.getenv("BENCH_RUN") or "0"
  -- Threads start spread over the file (BENCH_THREADS: how many wrk runs).
  local count = tonumber(os.getenv("BENCH_THREADS") or "1")
  position = math.floor(#requests * id / count) % #requests
  statuses = {}
end

function request()
  position = position % #requests + 1
  local method, path, cookie, body = unpack(requests[position])
  local headers = { ["User-Agent"] = "Mozilla/5.0 (X11; Linux x86_64) NewsroomLoadTest/1" }
  if cookie ~= nil and cookie ~= "" then
    headers["Cookie"] = cookie
  end
  if unique then
    counter = counter + 1
    local tag = run .. "-" .. id .. "-" .. counter
    headers["User-Agent"] = headers["User-Agent"] .. " visitor/" .. tag
    if body ~= nil and body ~= "" then
      body = body .. "+" .. tag
    end
  end
  if body == nil or body == "" then
    body = nil
  else
    headers["Content-Type"] = "application/x-www-form-urlencoded"
  end
  return wrk.format(method, path, headers, body)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local counts = {}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses")) do
      counts[tostring(status)] = (counts[tostring(status)] or 0) + n
    end
  end
  local parts = {}
  for status, n in pairs(counts) do
    table.insert(parts, string.format('"%s": %d', status, n))
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH-JSON {"requests": %d, "duration_us": %d, "bytes": %d, ' ..
    '"p50_us": %d, "p90_us": %d, "p99_us": %d, "max_us": %d, "mean_us": %.1f, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, ' ..
    '"statuses": {%s}}\n',
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    latency.mean, e.connect, e.read, e.write, e.status, e.timeout, table.concat(parts, ", ")))
end
