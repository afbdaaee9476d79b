# 200000 short pieces ("i,") joined by concatenation: 100 pieces make a
# chunk, 100 chunks a block, 20 blocks the whole. Prints the length.
total = ""
block = ""
chunk = ""
i = 0
for b in range(1, 21):
    block = ""
    for c in range(1, 101):
        chunk = ""
        for p in range(1, 101):
            chunk = chunk + f"{i},"
            i = i + 1
        block = block + chunk
    total = total + block
print(len(total))
