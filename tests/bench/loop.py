# A while loop of 10^7 rounds with arithmetic (at top level, as in the
# other two: globals, like Kader's top-level bindings).
i = 0
total = 0
while i < 10000000:
    total = total + (i * 3 + 1) % 7
    i = i + 1
print(total)
