# 200000 pseudo-random numbers (the minimal standard generator), sorted
# with list.sort. Prints the first, the middle and the last.
x = 42
xs = []
i = 0
while i < 200000:
    x = (x * 48271) % 2147483647
    xs.append(x)
    i = i + 1
xs.sort()
print(xs[0])
print(xs[99999])
print(xs[199999])
