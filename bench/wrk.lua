-- Requests for wrk, used by bench/run against contestd and against the bare
-- evhttp baseline alike (the same client work on both sides):
--
--   wrk ... -s bench/wrk.lua URL -- post EVENT TOKENS CODES CRITERIA [MAX]
--     judge score submissions: POST /api/v1/events/EVENT/scores, a fresh
--     Idempotency-Key per request, judges' tokens (one a line in the file
--     TOKENS) taken in turn, a valid body cycling over the anonymous codes
--     (one a line in CODES) and the comma-separated CRITERIA, values from 0
--     to MAX (default 10) in steps of 0.5;
--   wrk ... -s bench/wrk.lua URL -- get PATH TOKEN
--     GET PATH with that bearer token.
--
-- done() prints one line for bench/run:
--   WRK requests=N seconds=S rate=R status_errors=N socket_errors=N p50_ms=.. p99_ms=.. max_ms=..

local counter, thread_id = 0, 0
local req, path, event_path, max_halves
local tokens, codes, criteria, headers = {}, {}, {}, {}
local prefix

local threads = {}
function setup(thread)
   thread:set("id", #threads + 1)
   threads[#threads + 1] = thread
end

local function lines(file)
   local t = {}
   for l in io.lines(file) do
      if l ~= "" then t[#t + 1] = l end
   end
   assert(#t > 0, file .. ": no lines")
   return t
end

function init(args)
   thread_id = id or 0
   local mode = args[1]
   if mode == "post" then
      event_path = "/api/v1/events/" .. args[2] .. "/scores"
      tokens = lines(args[3])
      codes = lines(args[4])
      for c in string.gmatch(args[5], "[^,]+") do criteria[#criteria + 1] = c end
      max_halves = 2 * (tonumber(args[6]) or 10) + 1
      -- unique across runs and threads, so no submission is taken for a retry
      prefix = string.format("wrk-%d-%d-%d-", os.time(), math.floor(os.clock() * 1e6), thread_id)
      headers["Content-Type"] = "application/json"
   elseif mode == "get" then
      path = args[2]
      req = wrk.format("GET", path, { ["Authorization"] = "Bearer " .. args[3] })
   else
      error("bench/wrk.lua: want -- post EVENT TOKENS CODES CRITERIA [MAX] or -- get PATH TOKEN")
   end
end

function request()
   if req then return req end
   counter = counter + 1
   local pair = counter % (#codes * #criteria)
   local code = codes[math.floor(pair / #criteria) + 1]
   local crit = criteria[pair % #criteria + 1]
   local halves = counter % max_halves
   local body = string.format('{"contestant":"%s","criterion":"%s","value":"%d%s"}', code, crit,
                              math.floor(halves / 2), halves % 2 == 1 and ".5" or "")
   headers["Authorization"] = "Bearer " .. tokens[counter % #tokens + 1]
   headers["Idempotency-Key"] = prefix .. counter
   return wrk.format("POST", event_path, headers, body)
end

function done(summary, latency, requests)
   local e = summary.errors
   local s = summary.duration / 1e6
   io.write(string.format("WRK requests=%d seconds=%.3f rate=%.1f bytes=%d status_errors=%d socket_errors=%d "
                          .. "p50_ms=%.3f p99_ms=%.3f max_ms=%.3f\n",
                          summary.requests, s, summary.requests / s, summary.bytes, e.status,
                          e.connect + e.read + e.write + e.timeout,
                          latency:percentile(50) / 1e3, latency:percentile(99) / 1e3, latency.max / 1e3))
end
