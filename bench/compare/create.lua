counter = 0
prefix = os.getenv("PREFIX") or "b"
wrk.method = "POST"
wrk.headers["content-type"] = "application/vnd.api+json"
wrk.headers["authorization"] = "token 11111111-1111-4111-8111-111111111111"
request = function()
  counter = counter + 1
  local body = '{"data":{"type":"service_account","attributes":{"name":"' .. prefix .. '-' .. math.random(1, 2000000000) .. '-' .. counter .. '","role_id":"8f35d030-fdca-4335-827b-7c93e6426e7b","auth_type":"api_key"}}}'
  return wrk.format(nil, nil, nil, body)
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("non2xx=%d\n", e.status))
end
