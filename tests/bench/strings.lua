-- 200000 short pieces ("i,") joined by concatenation: 100 pieces make a
-- chunk, 100 chunks a block, 20 blocks the whole. Prints the length.
local total = ""
local block = ""
local chunk = ""
local i = 0
for b = 1, 20 do
  block = ""
  for c = 1, 100 do
    chunk = ""
    for p = 1, 100 do
      chunk = chunk .. i .. ","
      i = i + 1
    end
    block = block .. chunk
  end
  total = total .. block
end
print(#total)
