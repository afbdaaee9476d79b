-- Record (table) fields read and updated 10^6 times.
local r = {a = 1, b = 2, c = 3}
local i = 0
while i < 1000000 do
  r.a = r.a + r.b
  r.c = r.c + 1
  i = i + 1
end
print(r.a)
print(r.c)
