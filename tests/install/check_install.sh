#!/bin/sh
# The library as a user installs it: every public header is installed, and an example builds
# and links against the installed headers, library and pkg-config file alone.
# check_install.sh BUILD_DIR SOURCE_DIR REPORT: writes a JUnit report of the two checks.
set -u
build=$1 src=$2 report=$3
dest=$(mktemp -d)
trap 'rm -rf "$dest"' EXIT
failures=0

# record NAME MESSAGE: one test case, failed when MESSAGE is not empty.
cases=""
record() {
  if [ -n "$2" ]; then
    failures=$((failures + 1))
    message=$(printf '%s' "$2" | sed 's/&/\&amp;/g; s/</\&lt;/g; s/>/\&gt;/g; s/"/\&quot;/g')
    cases="$cases<testcase classname=\"install\" name=\"$1\"><failure message=\"failed\">$message</failure></testcase>"
  else
    cases="$cases<testcase classname=\"install\" name=\"$1\"/>"
  fi
}

if ! log=$(meson install -C "$build" --destdir "$dest" --no-rebuild 2>&1); then
  record "meson install succeeds" "$log"
else
  header=$(find "$dest" -path '*/include/logstream/logstream.hpp' | head -n 1)
  include=$(dirname "$header")
  missing=$(cd "$src/include/logstream" && find . -name '*.hpp' | sort | while read -r h; do
    [ -e "$include/$h" ] || echo "$h"; done)
  record "every public header is installed" "${missing:+not installed: $missing}"

  pc=$(find "$dest" -name logstream.pc | head -n 1)
  flags=$(PKG_CONFIG_PATH=$(dirname "$pc") PKG_CONFIG_SYSROOT_DIR=$dest pkg-config --cflags --libs logstream 2>&1)
  # Only the installed tree and the system's own headers: the sources are not on the path.
  # shellcheck disable=SC2086
  if ! out=$(c++ -std=c++20 -o "$dest/custom_sink" "$src/examples/custom_sink.cpp" $flags 2>&1); then
    record "an example builds against the installed library" "$out"
  else
    record "an example builds against the installed library" ""
  fi
fi

printf '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites><testsuite name="install" tests="2" failures="%s">%s</testsuite></testsuites>\n' \
  "$failures" "$cases" > "$report"
[ "$failures" -eq 0 ]
