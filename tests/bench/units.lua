-- Unit arithmetic: a quantity is a {value, unit} table; adding checks the
-- units, as Kader does. 10^6 quantities in h/week added up, then converted
-- to h/year. Prints the number.
local function quantity(value, unit)
  return {value = value, unit = unit}
end
local function add(a, b)
  if a.unit ~= b.unit then error("cannot add " .. a.unit .. " and " .. b.unit) end
  return quantity(a.value + b.value, a.unit)
end
local function scale(k, q)
  return quantity(k * q.value, q.unit)
end
local function per_year(q)
  if q.unit ~= "h/week" then error("cannot convert " .. q.unit) end
  return quantity(q.value * 52, "h/year")
end

local total = quantity(0, "h/week")
local i = 0
while i < 1000000 do
  total = add(total, scale(i % 10, quantity(1, "h/week")))
  i = i + 1
end
print(per_year(total).value)
