# Unit arithmetic: a quantity is a small object with a value and a unit;
# adding checks the units, as Kader does. 10^6 quantities in h/week added
# up, then converted to h/year. Prints the number.


class Quantity:
    __slots__ = ("value", "unit")

    def __init__(self, value, unit):
        self.value = value
        self.unit = unit


def add(a, b):
    if a.unit != b.unit:
        raise ValueError("cannot add " + a.unit + " and " + b.unit)
    return Quantity(a.value + b.value, a.unit)


def scale(k, q):
    return Quantity(k * q.value, q.unit)


def per_year(q):
    if q.unit != "h/week":
        raise ValueError("cannot convert " + q.unit)
    return Quantity(q.value * 52, "h/year")


total = Quantity(0, "h/week")
i = 0
while i < 1000000:
    total = add(total, scale(i % 10, Quantity(1, "h/week")))
    i = i + 1
print(per_year(total).value)
