#!/bin/sh
# `make install PREFIX=…` into a fresh directory, then build the embedding
# example against the installed library with nothing but pkg-config, and run
# it: what a C programmer who embeds Kader does. Run by tests/install_cases.py
# with the build directory under test (build, or build/asan under make asan).
set -e
build=${1:-build}
if [ "$build" = build/asan ]; then
  variant="KD_VARIANT=asan"
  sanitize="-fsanitize=address,undefined"
  bin=build/asan/kader lib=build/asan/libkader.a
else
  variant="" sanitize="" bin=kader lib=libkader.a
fi
# started from inside `make test`: the outer make's settings must not leak in
unset MAKEFLAGS MFLAGS MAKELEVEL KADER_INNER KD_VARIANT
# The suite is running with these binaries; installing must not rebuild them
# under the other tests' feet (it would, were the sources edited meanwhile).
newer=$(find interp stdlib -type f -newer "$bin" 2>/dev/null | head -n 1)
if [ ! -f "$bin" ] || [ ! -f "$lib" ] || [ -n "$newer" ]; then
  echo "the build in $build is older than the sources: run make test again"
  exit 1
fi
prefix=$(mktemp -d "${TMPDIR:-/tmp}/kader-install.XXXXXX")
trap 'rm -rf "$prefix" "$prefix.log"' EXIT
make --no-print-directory -s install $variant PREFIX="$prefix" > "$prefix.log" 2>&1 ||
  { cat "$prefix.log"; exit 1; }
for f in bin/kader lib/libkader.a include/kader.h lib/pkgconfig/kader.pc; do
  [ -f "$prefix/$f" ] || { echo "not installed: $f"; exit 1; }
done
echo "installed: bin/kader lib/libkader.a include/kader.h lib/pkgconfig/kader.pc"
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
echo "pkg-config: kader $(pkg-config --modversion kader)"
${CC:-cc} -std=c11 -Wall -Wextra -Wpedantic $sanitize -o "$prefix/host" \
  examples/embed/host.c $(pkg-config --cflags --libs kader)
"$prefix/host" > "$prefix/host.out" 2>/dev/null
head -n 1 "$prefix/host.out"
"$prefix/bin/kader" -e 'print("kader", 6 * 7)'
