-- 1 000 000 samples of the sum of three lognormal costs given by their 90%
-- intervals, in plain Lua 5.4 (math.random is xoshiro256**; normals by
-- Box-Muller): the mean, p5 and p95 (type 7 percentiles, as Kader).
local N = 1000000
local Z95 = 1.6448536269514722
math.randomseed(1)

local function lognormal(lo, hi)
  local mu = (math.log(lo) + math.log(hi)) / 2
  local sigma = (math.log(hi) - math.log(lo)) / (2 * Z95)
  return mu, sigma
end

local function normal()
  local u1 = 1 - math.random()
  local u2 = math.random()
  return math.sqrt(-2 * math.log(u1)) * math.cos(2 * math.pi * u2)
end

local ma, sa = lognormal(5000, 40000)
local mb, sb = lognormal(3378.96, 4739.53)
local s = {}
local total = 0
for i = 1, N do
  local x = math.exp(ma + sa * normal()) + math.exp(mb + sb * normal()) + math.exp(ma + sa * normal())
  s[i] = x
  total = total + x
end
table.sort(s)
local function percentile(p)
  local h = (N - 1) * p / 100
  local i = math.floor(h)
  return s[i + 1] + (h - i) * (s[i + 2] - s[i + 1])
end
print(total / N, percentile(5), percentile(95))
