-- wrk script of `python -m bench api`: rotates over the paths listed in a file (wrk ... -- FILE), each thread from its
-- own starting point; prints the summary as one JSON line (p50, p95 and p99 in µs). No response() function, so wrk never
-- copies a body into Lua.
local paths = {}
local counter = 0
local thread_number = 0

function setup(thread)
  thread_number = thread_number + 1
  thread:set("offset", thread_number * 7)
end

function init(args)
  for line in io.lines(args[1]) do
    if line ~= "" then paths[#paths + 1] = line end
  end
  counter = (offset or 0) % #paths
end

function request()
  counter = counter % #paths + 1
  return wrk.format("GET", paths[counter])
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"p50_us": %d, "p95_us": %d, "p99_us": %d, "requests": %d, "duration_us": %d, "bytes": %d, '
      .. '"status": %d, "connect": %d, "read": %d, "write": %d, "timeout": %d}\n',
    latency:percentile(50), latency:percentile(95), latency:percentile(99), summary.requests, summary.duration, summary.bytes,
    e.status, e.connect, e.read, e.write, e.timeout))
end
