-- A while loop of 10^7 rounds with arithmetic.
local i = 0
local sum = 0
while i < 10000000 do
  sum = sum + (i * 3 + 1) % 7
  i = i + 1
end
print(sum)
