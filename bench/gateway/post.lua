-- wrk: POST the body in env BODY with the headers in env HEADERS ("Name: value|Name: value").
wrk.method = "POST"
wrk.body = os.getenv("BODY")
wrk.headers["Content-Type"] = "application/json"
for pair in string.gmatch(os.getenv("HEADERS") or "", "[^|]+") do
  local name, value = pair:match("^%s*(.-)%s*:%s*(.-)%s*$")
  if name then wrk.headers[name] = value end
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT rps=%.1f p50=%.3f p99=%.3f errors=%d non2xx=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout, summary.errors.status))
end
