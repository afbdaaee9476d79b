#!/bin/sh
# A rerun of a model gives byte-identical output (docs/reproducible.md,
# "Determinism"). Run by tests/determinism_cases.py from the root:
#
#   sh tests/determinism.sh KADER
#
# Every way a reviewer reruns a model is run twice, the second time in
# another environment (time zone, C locale, a different working directory
# and environment size, so that stack and heap addresses differ), and the
# two outputs must be the same bytes. Prints one line per difference and
# "N commands, N differ" last; exits 1 when any differs.
set -u
kader=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
root=$(pwd)
mkdir -p build/determinism
work=$(mktemp -d "$root/build/determinism/run.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT
trap 'exit 2' HUP INT TERM

count=0
differ=0

# once: in the root, as CI does
first() {
  (cd "$root" && TZ=UTC LC_ALL=C.UTF-8 "$kader" "$@") > "$work/a" 2>&1
  echo "exit $?" >> "$work/a"
}

# twice: other time zone and locale, a padded environment, from elsewhere
# (paths given absolute, then made relative again in the output)
second() {
  (cd "$work" && TZ=Pacific/Chatham LC_ALL=nl_NL.UTF-8 PADDING=$(printf '%0999d' 0) \
    "$kader" "$@") > "$work/b.raw" 2>&1
  echo "exit $?" >> "$work/b.raw"
  sed "s#$root/##g" "$work/b.raw" > "$work/b"
}

same() {
  count=$((count + 1))
  first "$@"
  abs=""
  for a in "$@"; do
    case $a in
      examples/*|tests/*) abs="$abs $root/$a" ;;
      *) abs="$abs $a" ;;
    esac
  done
  # shellcheck disable=SC2086 # the arguments have no spaces
  second $abs
  if ! cmp -s "$work/a" "$work/b"; then
    differ=$((differ + 1))
    echo "DIFFER kader $*: $(diff "$work/a" "$work/b" | head -n 3 | tr '\n' ' ')"
  fi
}

same examples/provincie.kader
same --format md examples/provincie.kader
same --format json examples/provincie.kader
same --locale en examples/provincie.kader
same examples/csv.kader
same examples/open-antwoorden.kader
same examples/legal/normen.kader
same test examples/provincie.kader
same --format json test examples/provincie.kader
same check examples/provincie.kader
same --format json check examples/provincie.kader
same fmt --check examples/provincie.kader

# the literate paper: the written paper.out.md, byte for byte
count=$((count + 1))
mkdir "$work/o1" "$work/o2"
(cd "$root" && TZ=UTC "$kader" run --output "$work/o1" examples/literate/rapport.md) \
  > /dev/null 2>&1
(cd "$work" && TZ=Pacific/Chatham "$kader" run --output "$work/o2" \
  "$root/examples/literate/rapport.md") > /dev/null 2>&1
if [ ! -s "$work/o1/rapport.out.md" ] ||
   ! cmp -s "$work/o1/rapport.out.md" "$work/o2/rapport.out.md"; then
  differ=$((differ + 1))
  echo "DIFFER kader run examples/literate/rapport.md"
fi

echo "$count commands, $differ differ"
[ "$differ" -eq 0 ]
