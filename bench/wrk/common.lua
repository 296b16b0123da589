-- Shared by the wrk scripts of bench/load.sh (loaded with dofile from the repository root).

-- The non-empty lines of a file.
function lines(file)
  local out = {}
  for line in io.lines(file) do
    if line ~= "" then out[#out + 1] = line end
  end
  return out
end

-- One JSON line for bench/report.py: throughput, latency percentiles, and the responses that were
-- wrong (counted per thread in the global `bad`, the last one's status in `bad_status`), failed at the socket or timed out.
function report(summary, latency, threads)
  local wrong, status = 0, 0
  for _, t in ipairs(threads) do
    wrong = wrong + (t:get("bad") or 0)
    status = t:get("bad_status") or status
  end
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests": %d, "seconds": %.3f, "rps": %.1f, "p50_ms": %.2f, "p99_ms": %.2f, ' ..
    '"not_the_page": %d, "a_wrong_status": %d, "socket_errors": %d, "timeouts": %d}\n',
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    wrong, status, e.connect + e.read + e.write, e.timeout))
end
