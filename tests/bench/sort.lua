-- 200000 pseudo-random numbers (the minimal standard generator), sorted
-- with table.sort. Prints the first, the middle and the last.
local x = 42
local xs = {}
local i = 0
while i < 200000 do
  x = (x * 48271) % 2147483647
  xs[#xs + 1] = x
  i = i + 1
end
table.sort(xs)
print(xs[1])
print(xs[100000])
print(xs[200000])
