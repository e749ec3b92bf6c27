-- wrk script: each request saves answers for the next participant link in
-- TOKENS_FILE, lines of "token cxm_claim=..." (a different participant each
-- time: the worst case for the writer). ANSWERS_PER_REQUEST (env) is 1 or 8.
local tokens = {}
local cookies = {}
local next_index = 1
local thread_count = 0
local body

function setup(thread)
  thread_count = thread_count + 1
  thread:set("thread_id", thread_count)
end

function init(args)
  for line in io.lines(os.getenv("TOKENS_FILE")) do
    local token, cookie = line:match("^(%S+)%s+(%S+)$")
    tokens[#tokens + 1] = token
    cookies[#cookies + 1] = cookie
  end
  next_index = thread_id
  local per_request = tonumber(os.getenv("ANSWERS_PER_REQUEST") or "1")
  local items = {"LS2b", "LS3", "LS4b", "LS5", "LS6b", "GO2", "GO3", "GO4"}
  local parts = {}
  for i = 1, per_request do parts[#parts + 1] = '"' .. items[i] .. '":4' end
  body = '{"answers":{' .. table.concat(parts, ",") .. '}}'
  wrk.method = "PUT"
  wrk.headers["Content-Type"] = "application/json"
end

function request()
  local token, cookie = tokens[next_index], cookies[next_index]
  next_index = next_index + 2
  if next_index > #tokens then next_index = (next_index % 2) + 1 end
  return wrk.format(nil, "/api/r/" .. token .. "/answers", {["Content-Type"] = "application/json", ["Cookie"] = cookie}, body)
end
