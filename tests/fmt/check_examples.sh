#!/bin/sh
# kader fmt on the real models, run by tests/fmt_cases.py from the root:
#
#   sh tests/fmt/check_examples.sh KADER twice   every .kader file under
#        examples/ and stdlib/ formats without an error, and formatting the
#        result again changes nothing
#   sh tests/fmt/check_examples.sh KADER same    every example under
#        examples/ prints the same (stdout and exit code) when formatted
#
# The files themselves are never touched (golden files depend on their line
# numbers). A formatted example runs from a hidden copy next to the
# original, so that its imports and data files resolve the same way; the
# copy's name ends in .tmp, so no test or check that looks for .kader files
# picks it up, and it is removed however the script ends. Reports name their
# model file, so stdout is compared with file names and line numbers
# replaced by FILE:LINE (blank lines the formatter collapses move lines).
set -u
kader=$1
mode=$2
mkdir -p build/fmt-tests
work=$(mktemp -d build/fmt-tests/examples.XXXXXX) || exit 2
copy=""
cleanup() {
  rm -rf "$work"
  if [ -n "$copy" ]; then rm -f "$copy"; fi
}
trap cleanup EXIT
trap 'exit 2' HUP INT TERM

failed=0
count=0

fail() {
  echo "FAIL $1: $2"
  failed=$((failed + 1))
}

# the model's stdout and exit code, with its own file name made neutral
run_model() {
  out=$("$kader" --allow-ffi "$1" 2>/dev/null </dev/null)
  code=$?
  printf '%s\nexit %s\n' "$out" "$code" | sed "s#$1:[0-9]*#FILE:LINE#g"
}

case $mode in
twice)
  for f in $(find examples stdlib -name '*.kader' | sort); do
    count=$((count + 1))
    if ! "$kader" fmt - < "$f" > "$work/once" 2> "$work/err"; then
      fail "$f" "kader fmt failed: $(head -n 1 "$work/err")"
      continue
    fi
    "$kader" fmt - < "$work/once" > "$work/twice" 2> "$work/err"
    cmp -s "$work/once" "$work/twice" || fail "$f" "formatting twice changes it"
  done
  echo "$count files, each formatted twice the same; $failed failed"
  ;;
same)
  for f in $(find examples -name '*.kader' | sort); do
    count=$((count + 1))
    copy="$(dirname "$f")/.fmt-check.$$.$(basename "$f").tmp"
    if ! "$kader" fmt - < "$f" > "$copy" 2> "$work/err"; then
      fail "$f" "kader fmt failed: $(head -n 1 "$work/err")"
      continue
    fi
    run_model "$f" > "$work/before"
    run_model "$copy" > "$work/after"
    rm -f "$copy"
    copy=""
    cmp -s "$work/before" "$work/after" ||
      fail "$f" "prints something else when formatted: $(diff "$work/before" "$work/after" | head -n 3)"
  done
  echo "$count examples, each printing the same when formatted; $failed failed"
  ;;
*)
  echo "usage: check_examples.sh KADER twice|same" >&2
  exit 2
  ;;
esac
[ "$failed" -eq 0 ]
