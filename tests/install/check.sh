#!/bin/sh
# `make install PREFIX=…` into a fresh directory, then build the embedding
# example against the installed library with nothing but pkg-config, and run
# it: what a C programmer who embeds Kader does. Run by tests/install_cases.py.
set -e
prefix=$(mktemp -d "${TMPDIR:-/tmp}/kader-install.XXXXXX")
trap 'rm -rf "$prefix"' EXIT
# started from inside `make test`: the outer make's settings must not leak in
unset MAKEFLAGS MFLAGS MAKELEVEL KADER_INNER KD_VARIANT
make --no-print-directory -s install PREFIX="$prefix" > "$prefix.log" 2>&1 ||
  { cat "$prefix.log"; rm -f "$prefix.log"; exit 1; }
rm -f "$prefix.log"
for f in bin/kader lib/libkader.a include/kader.h lib/pkgconfig/kader.pc; do
  [ -f "$prefix/$f" ] || { echo "not installed: $f"; exit 1; }
done
echo "installed: bin/kader lib/libkader.a include/kader.h lib/pkgconfig/kader.pc"
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
echo "pkg-config: kader $(pkg-config --modversion kader)"
${CC:-cc} -std=c11 -Wall -Wextra -Wpedantic -o "$prefix/host" examples/embed/host.c \
  $(pkg-config --cflags --libs kader)
"$prefix/host" > "$prefix/host.out" 2>/dev/null
head -n 1 "$prefix/host.out"
"$prefix/bin/kader" -e 'print("kader", 6 * 7)'
