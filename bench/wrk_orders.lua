-- wrk script for bench/orders_bench.py: buyers placing one-line orders, half of them on one hot SKU.
-- Run with one connection per thread (wrk -tN -cN), so each thread's requests follow each other in order:
--   wrk -t16 -c16 -d10s -s bench/wrk_orders.lua http://127.0.0.1:PORT -- shop|buy|ceiling DATA_FILE HOT_SHARE N
-- shop: cart add (POST /api/v1/carts/), then the order (POST /api/v1/orders/); a sold-out cart add picks
--       another SKU, a refused order empties the cart line (DELETE) before the next try.
-- buy: "buy now", one POST /api/v1/orders/ with the SKU per order (the cart untouched); sold out (400)
--      picks another SKU.
-- ceiling: one POST /order/ per order (bench/order_ceiling.py); sold out (409) picks another SKU.
-- DATA_FILE: line 1 the hot SKU id, line 2 the other SKU ids, then one "token address_id buyer_id" per buyer.
-- At the end one line "WRKJSON {...}": orders placed, refusals, server errors, latency of every request.

local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
  table.insert(threads, thread)
end

local function split(line)
  local fields = {}
  for field in string.gmatch(line, "%S+") do table.insert(fields, field) end
  return fields
end

function init(args)
  mode, hot_share = args[1], tonumber(args[3])
  local file = assert(io.open(args[2], "r"))
  hot = tonumber(file:read("*l"))
  others = {}
  for sku in string.gmatch(file:read("*l"), "%d+") do table.insert(others, tonumber(sku)) end
  local all = {}
  for line in file:lines() do table.insert(all, split(line)) end
  file:close()
  buyers = {}  -- this thread's share of the buyers
  for index = id, #all, tonumber(args[4]) do table.insert(buyers, all[index]) end
  math.randomseed(id * 7919)
  turn, phase, sku, pick_other = 0, "cart", nil, false
  orders, refused, sold_out, server_errors, other = 0, 0, 0, 0, 0
end

local function next_sku()
  if not pick_other and math.random() < hot_share then return hot end
  pick_other = false
  return others[math.random(#others)]
end

function request()
  if phase == "cart" then
    turn = turn + 1
    buyer = buyers[(turn - 1) % #buyers + 1]
    sku = next_sku()
  end
  if mode == "ceiling" then
    return wrk.format("POST", "/order/", {["Content-Type"] = "application/json"},
      string.format('{"sku_id": %d, "buyer": %s}', sku, buyer[3]))
  end
  local headers = {["Content-Type"] = "application/json", ["Authorization"] = "JWT " .. buyer[1]}
  if mode == "buy" then
    return wrk.format("POST", "/api/v1/orders/", headers,
      string.format('{"address": %s, "pay_method": %d, "sku_id": %d, "count": 1}', buyer[2], 1 + turn % 2, sku))
  end
  if phase == "cart" then
    return wrk.format("POST", "/api/v1/carts/", headers, string.format('{"sku_id": %d, "count": 1}', sku))
  elseif phase == "order" then
    return wrk.format("POST", "/api/v1/orders/", headers,
      string.format('{"address": %s, "pay_method": %d}', buyer[2], 1 + turn % 2))
  else
    return wrk.format("DELETE", "/api/v1/carts/", headers, string.format('{"sku_id": %d}', sku))
  end
end

function response(status, headers, body)
  if status >= 500 then server_errors = server_errors + 1 end
  if mode ~= "shop" then
    if status == 201 then orders = orders + 1
    elseif status == (mode == "buy" and 400 or 409) then sold_out = sold_out + 1; pick_other = true
    elseif status < 500 then other = other + 1 end
    return
  end
  if phase == "cart" then
    if status == 201 then phase = "order"
    elseif status == 400 and sku == hot then sold_out = sold_out + 1; pick_other = true
    elseif status < 500 then other = other + 1 end
  elseif phase == "order" then
    if status == 201 then orders = orders + 1; phase = "cart"
    elseif status == 400 then refused = refused + 1; phase = "clear"
    else
      if status < 500 then other = other + 1 end
      phase = "clear"
    end
  else
    phase = "cart"
  end
end

function done(summary, latency, requests)
  local total = {orders = 0, refused = 0, sold_out = 0, server_errors = 0, other = 0}
  for _, thread in ipairs(threads) do
    for key, _ in pairs(total) do total[key] = total[key] + thread:get(key) end
  end
  local seconds = summary.duration / 1e6
  local errors = summary.errors
  io.write(string.format(
    'WRKJSON {"orders": %d, "orders_per_s": %.2f, "refused": %d, "sold_out": %d, "server_errors": %d, ' ..
    '"other": %d, "requests": %d, "seconds": %.3f, "rps": %.2f, "p50_ms": %.3f, "p99_ms": %.3f, ' ..
    '"socket_errors": %d}\n',
    total.orders, total.orders / seconds, total.refused, total.sold_out, total.server_errors, total.other,
    summary.requests, seconds, summary.requests / seconds, latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, errors.connect + errors.read + errors.write + errors.timeout))
end
