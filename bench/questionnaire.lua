-- wrk script: each request loads the questionnaire of the next participant
-- link in TOKENS_FILE (lines of "token cxm_claim=..."), with the link's
-- claim cookie, as a participant coming back to the page does.
local tokens = {}
local cookies = {}
local next_index = 1
local thread_count = 0

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
end

function request()
  local token, cookie = tokens[next_index], cookies[next_index]
  next_index = next_index + 2
  if next_index > #tokens then next_index = (next_index % 2) + 1 end
  return wrk.format("GET", "/api/r/" .. token, {["Cookie"] = cookie})
end
