# Record (dict) fields read and updated 10^6 times.
r = {"a": 1, "b": 2, "c": 3}
i = 0
while i < 1000000:
    r["a"] = r["a"] + r["b"]
    r["c"] = r["c"] + 1
    i = i + 1
print(r["a"])
print(r["c"])
