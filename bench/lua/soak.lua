-- The soak's mix (bench/soak.py): readers, commenters, ad clicks and beacons.
-- bench/soak.py writes the site's addresses and readers in place of DATA.
local data = DATA
local threads = {}
local UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36"

local function urlencode(s)
  return (s:gsub("[^%w%-_%.~]", function(c)
    return string.format("%%%02X", string.byte(c))
  end))
end

local function pick(list) return list[math.random(#list)] end

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  math.randomseed(id * 7919 + os.time())
  statuses, kinds = {}, {}
  comments_sent, comments_ok, sent = 0, 0, 0
end

-- One connection per thread (wrk -t N -c N): each response answers the last request.
function request()
  sent = sent + 1
  local visitor = UA .. " soak/" .. id .. "." .. (sent % 40)
  local r = math.random(100)
  if r <= 12 then
    kind = "comment"
    local reader = pick(data.readers)
    local article = pick(data.articles)
    local body = "body=" .. urlencode("부하 시험 의견 " .. id .. "-" .. sent .. " 잘 읽었습니다.")
      .. "&csrfmiddlewaretoken=" .. reader.csrf
    comments_sent = comments_sent + 1
    return wrk.format("POST", "/comments/articles/" .. article.id .. "/post/", {
      ["Cookie"] = "sessionid=" .. reader.session .. "; csrftoken=" .. reader.csrf,
      ["Content-Type"] = "application/x-www-form-urlencoded",
      ["User-Agent"] = visitor,
    }, body)
  elseif r <= 22 then
    kind = "reader article"
    local reader = pick(data.readers)
    return wrk.format("GET", pick(data.articles).path, {
      ["Cookie"] = "sessionid=" .. reader.session .. "; csrftoken=" .. reader.csrf,
      ["User-Agent"] = visitor,
    })
  elseif r <= 27 then
    kind = "ad click"
    local url = "/ads/" .. pick(data.placements) .. "/click/"
    return wrk.format("GET", url, {["User-Agent"] = visitor})
  elseif r <= 33 then
    kind = "view beacon"
    return wrk.format("POST", "/articles/" .. pick(data.articles).id .. "/viewed/",
      {["User-Agent"] = visitor, ["Content-Length"] = "0"})
  elseif r <= 39 then
    kind = "impression beacon"
    return wrk.format("POST", "/ads/impressions/", {
      ["User-Agent"] = visitor,
      ["Content-Type"] = "application/x-www-form-urlencoded",
    }, "placement=" .. pick(data.placements) .. "&placement=" .. pick(data.placements))
  elseif r <= 43 then
    kind = "search"
    return wrk.format("GET", pick(data.searches), {["User-Agent"] = visitor})
  elseif r <= 58 then
    kind = "home"
    return wrk.format("GET", "/", {["User-Agent"] = visitor})
  elseif r <= 70 then
    kind = "section"
    return wrk.format("GET", pick(data.sections), {["User-Agent"] = visitor})
  else
    kind = "article"
    return wrk.format("GET", pick(data.articles).path, {["User-Agent"] = visitor})
  end
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  local key = kind .. " " .. status
  kinds[key] = (kinds[key] or 0) + 1
  if kind == "comment" and status == 302 then comments_ok = comments_ok + 1 end
end

function done(summary, latency, requests)
  local totals, by_kind, c_sent, c_ok = {}, {}, 0, 0
  for _, thread in ipairs(threads) do
    for code, n in pairs(thread:get("statuses")) do totals[code] = (totals[code] or 0) + n end
    for key, n in pairs(thread:get("kinds")) do by_kind[key] = (by_kind[key] or 0) + n end
    c_sent = c_sent + thread:get("comments_sent")
    c_ok = c_ok + thread:get("comments_ok")
  end
  for code, n in pairs(totals) do io.write(string.format("SOAK status %d %d\n", code, n)) end
  for key, n in pairs(by_kind) do io.write(string.format("SOAK kind %s|%d\n", key, n)) end
  local e = summary.errors
  io.write(string.format("SOAK summary %d %d %d %d %d %d %d\n", summary.requests,
    summary.duration, e.connect, e.read, e.write, e.status, e.timeout))
  io.write(string.format("SOAK comments %d %d\n", c_sent, c_ok))
  io.write(string.format("SOAK latency %d %d %d %d\n", latency:percentile(50),
    latency:percentile(90), latency:percentile(99), latency.max))
end
